package io.rampart.messaging;

/** MQTT 5 subscription option "Retain Handling" (MQTT 5 §3.8.3.1). */
public enum RetainHandling {
    /** 0: send retained messages at the time of the subscribe. */
    SEND_ON_SUBSCRIBE,
    /** 1: send retained messages only if the subscription did not exist before (MQTT-3.3.1-10). */
    SEND_IF_NEW_SUBSCRIPTION,
    /** 2: never send retained messages because of this subscription (MQTT-3.3.1-11). */
    DO_NOT_SEND
}
