package io.rampart.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An MQTT application message. The payload array is not copied (it is on the hot path): whoever builds a
 * message hands the array over and nobody mutates it afterwards.
 *
 * @param topic      where it was published
 * @param payload    the bytes, possibly empty (an empty retained message clears the retained slot, MQTT-3.3.1-6)
 * @param qos        the QoS it was published with
 * @param retain     the RETAIN flag
 * @param expiresAt  when it stops being deliverable (MQTT 5 message expiry interval, made absolute on receipt), or
 *                   null for never
 * @param properties MQTT 5 properties forwarded to receivers
 */
public record Message(Topic topic, byte[] payload, QoS qos, boolean retain, Instant expiresAt,
                      MessageProperties properties) {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }

    /** A message without expiry or properties. */
    public static Message of(Topic topic, byte[] payload, QoS qos, boolean retain) {
        return new Message(topic, payload, qos, retain, null, MessageProperties.NONE);
    }

    /** True when it has an expiry and {@code now} is at or past it: it must no longer be delivered (MQTT-3.3.2-5). */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * The message expiry interval to send on delivery at {@code now}: the received interval minus the time spent
     * waiting in the server (MQTT-3.3.2-6), rounded up to whole seconds; null when the message does not expire.
     */
    public Duration remainingExpiry(Instant now) {
        if (expiresAt == null) {
            return null;
        }
        long millis = Math.max(0, Duration.between(now, expiresAt).toMillis());
        return Duration.ofSeconds((millis + 999) / 1000);
    }

    /** The same message with another retain flag (deliveries clear it unless retain-as-published, MQTT-3.3.1-12). */
    public Message withRetain(boolean newRetain) {
        return newRetain == retain ? this : new Message(topic, payload, qos, newRetain, expiresAt, properties);
    }

    /** The same message with another QoS (deliveries are downgraded to the granted QoS). */
    public Message withQos(QoS newQos) {
        return newQos == qos ? this : new Message(topic, payload, newQos, retain, expiresAt, properties);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && topic.equals(m.topic) && Arrays.equals(payload, m.payload) && qos == m.qos
                && retain == m.retain && Objects.equals(expiresAt, m.expiresAt) && properties.equals(m.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, expiresAt, properties);
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos.value() + ", retain=" + retain
                + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
                + (properties.isEmpty() ? "" : ", " + properties) + "]";
    }
}
