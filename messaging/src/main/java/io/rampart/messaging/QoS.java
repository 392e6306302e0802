package io.rampart.messaging;

import io.rampart.common.RampartException;

/** MQTT quality of service levels (MQTT 5 §4.3). */
public enum QoS {
    AT_MOST_ONCE,
    AT_LEAST_ONCE,
    EXACTLY_ONCE;

    private static final QoS[] BY_VALUE = values();

    /** The wire value: 0, 1 or 2. */
    public int value() {
        return ordinal();
    }

    /** The level of a wire value; anything but 0, 1 or 2 is a malformed packet (MQTT-3.3.1-4). */
    public static QoS of(int value) {
        if (value < 0 || value > 2) {
            throw RampartException.invalidRequest("QoS must be 0, 1 or 2, got " + value);
        }
        return BY_VALUE[value];
    }

    /** The lower of the two levels: a delivery never exceeds the subscription's granted QoS (MQTT-3.8.4-8). */
    public QoS min(QoS other) {
        return compareTo(other) <= 0 ? this : other;
    }

    /** The higher of the two levels (overlapping subscriptions of one client, MQTT-3.3.4-2). */
    public QoS max(QoS other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
