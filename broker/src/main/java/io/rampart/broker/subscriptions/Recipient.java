package io.rampart.broker.subscriptions;

import io.rampart.messaging.QoS;
import java.util.List;
import java.util.Objects;

/**
 * One client that should receive a published message, with its overlapping subscriptions merged.
 *
 * @param clientId                the receiving client
 * @param qos                     the highest QoS among the client's matching subscriptions (MQTT-3.3.4-2); deliver at
 *                                {@code min(message QoS, qos)}
 * @param retainAsPublished       true when any matching subscription asked to keep the RETAIN flag
 * @param subscriptionIdentifiers the identifiers of all matching subscriptions that have one (MQTT-3.3.4-4)
 * @param shareGroup              the share name when chosen through a shared subscription, else null; shared and
 *                                non-shared matches of one client are separate recipients
 */
public record Recipient(String clientId, QoS qos, boolean retainAsPublished, List<Integer> subscriptionIdentifiers,
                        String shareGroup) {
    public Recipient {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(qos, "qos");
        subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
    }
}
