package io.rampart.messaging;

import io.rampart.common.RampartException;
import java.util.List;

/**
 * An MQTT topic name: the address a message is published to (MQTT 5 §4.7). Always valid once constructed:
 * non-empty, no wildcards, no U+0000 or control characters, at most 65,535 UTF-8 bytes. Use
 * {@link #of(String, TopicLimits)} at the boundary to also apply the configured length and depth limits.
 */
public record Topic(String value) {
    public Topic {
        if (value == null || value.isEmpty()) {
            // MQTT-4.7.3-1: topic names are at least one character long.
            throw RampartException.invalidRequest("topic must not be empty");
        }
        int bytes = MqttStrings.checkCharacters("topic", value);
        if (bytes > 65_535) {
            throw RampartException.invalidRequest("topic is " + bytes + " bytes long; MQTT allows at most 65535");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' || c == '#') {
                // MQTT-3.3.2-2: wildcards belong to filters, never to the topic of a PUBLISH.
                throw RampartException.invalidRequest("topic " + MqttStrings.quote(value)
                        + " must not contain the wildcard '" + c + "'");
            }
        }
    }

    /** A topic checked against {@code limits} as well as MQTT's rules. */
    public static Topic of(String value, TopicLimits limits) {
        Topic topic = new Topic(value);
        MqttStrings.checkLimits("topic " + MqttStrings.quote(value), value, utf8Length(value), limits);
        return topic;
    }

    /** A topic from the raw UTF-8 bytes of a packet, rejecting malformed UTF-8 rather than replacing it. */
    public static Topic ofUtf8(byte[] utf8, TopicLimits limits) {
        return of(MqttStrings.decode("topic", utf8), limits);
    }

    /** True for topics beginning with '$', which filters starting with a wildcard never match (MQTT-4.7.2-1). */
    public boolean isSystem() {
        return value.charAt(0) == '$';
    }

    /** The levels between '/' separators; empty levels are kept ({@code "a//b"} has three). */
    public List<String> levels() {
        return List.of(value.split("/", -1));
    }

    private static int utf8Length(String value) {
        return MqttStrings.checkCharacters("topic", value);
    }

    @Override
    public String toString() {
        return value;
    }
}
