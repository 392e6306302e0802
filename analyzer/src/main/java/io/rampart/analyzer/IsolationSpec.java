package io.rampart.analyzer;

import io.rampart.common.RampartException;

import java.util.Objects;

/**
 * The namespace a device is meant to be confined to: topics {@code <topicPrefix>/<clientId>} and below, plus its
 * own thing's reserved topics {@code $aws/things/<clientId>/...} (the thing name equals the client id, as AWS IoT
 * requires for thing policy variables).
 *
 * @param topicPrefix the topic levels before the client id, e.g. {@code devices}
 */
public record IsolationSpec(String topicPrefix) {
    public IsolationSpec {
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        if (topicPrefix.isEmpty() || topicPrefix.startsWith("/") || topicPrefix.endsWith("/")
                || topicPrefix.contains("+") || topicPrefix.contains("#")) {
            throw RampartException.invalidRequest("topicPrefix must be non-empty topic levels without leading or"
                    + " trailing '/' and without MQTT wildcards, got '" + topicPrefix + "'");
        }
    }
}
