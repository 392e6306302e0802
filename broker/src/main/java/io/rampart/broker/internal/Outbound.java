package io.rampart.broker.internal;

import io.rampart.messaging.Message;

import java.util.List;

/**
 * A message on its way to one session: already downgraded to the granted QoS and with the RETAIN flag it is to
 * be sent with, plus the identifiers of the subscriptions that matched it (MQTT-3.3.4-3).
 *
 * @param messageId its id in the broker store when it is queued durably for a persistent session (acknowledge it
 *                  there once delivered); 0 when it lives in memory only
 */
record Outbound(Message message, List<Integer> subscriptionIdentifiers, long messageId) {
    /** A message kept in memory only. */
    Outbound(Message message, List<Integer> subscriptionIdentifiers) {
        this(message, subscriptionIdentifiers, 0);
    }

    boolean stored() {
        return messageId != 0;
    }
}
