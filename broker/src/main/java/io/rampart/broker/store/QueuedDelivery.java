package io.rampart.broker.store;

import io.rampart.messaging.Message;
import java.util.List;
import java.util.Objects;

/**
 * A message waiting in a persistent session.
 *
 * @param messageId               its id (acknowledge with it)
 * @param message                 the message as it is to be delivered: QoS already {@code min(published, granted)},
 *                                RETAIN already cleared unless retain-as-published
 * @param subscriptionIdentifiers to send with it (MQTT-3.3.4-3)
 * @param state                   what to (re)send
 * @param packetId                the packet id it was sent with, or 0 when {@link DeliveryState#QUEUED}
 */
public record QueuedDelivery(long messageId, Message message, List<Integer> subscriptionIdentifiers, DeliveryState state,
                             int packetId) {
    public QueuedDelivery {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(state, "state");
        subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
    }
}
