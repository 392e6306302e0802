package io.rampart.broker.internal;

import io.rampart.messaging.Message;

import java.util.List;

/**
 * A message on its way to one session: already downgraded to the granted QoS and with the RETAIN flag it is to
 * be sent with, plus the identifiers of the subscriptions that matched it (MQTT-3.3.4-3).
 */
record Outbound(Message message, List<Integer> subscriptionIdentifiers) {
}
