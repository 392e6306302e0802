package io.rampart.messaging;

/** Why a connection ended, with AWS IoT's {@code disconnectReason} names used in lifecycle events. */
public enum DisconnectReason {
    AUTH_ERROR,
    CLIENT_INITIATED_DISCONNECT,
    CLIENT_ERROR,
    CONNECTION_LOST,
    DUPLICATE_CLIENTID,
    FORBIDDEN_ACCESS,
    MQTT_KEEP_ALIVE_TIMEOUT,
    SERVER_ERROR,
    SERVER_INITIATED_DISCONNECT,
    API_INITIATED_DISCONNECT,
    THROTTLED,
    UNKNOWN
}
