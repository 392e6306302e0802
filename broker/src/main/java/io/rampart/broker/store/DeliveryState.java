package io.rampart.broker.store;

/** Where a queued delivery to a persistent session stands. */
public enum DeliveryState {
    /** Not sent yet (or sent without a durable packet id): send as a new PUBLISH. */
    QUEUED,
    /** Sent with a packet id and not acknowledged: resend the PUBLISH with DUP=1 and the same id (MQTT-4.4.0-1). */
    SENT,
    /** QoS 2, PUBREC received: resend PUBREL with the same id (MQTT-4.4.0-1). */
    RELEASED
}
