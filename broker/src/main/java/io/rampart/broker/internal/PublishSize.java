package io.rampart.broker.internal;

import io.netty.buffer.ByteBufUtil;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageProperties;
import io.rampart.messaging.UserProperty;

import java.util.List;

/**
 * The exact size of the PUBLISH packet the broker would send for a message, computed without encoding it: a client's
 * Maximum Packet Size is a hard limit (MQTT-3.1.2-24), so an estimate would either break clients or drop messages
 * that fit. Must agree with what {@code MqttConnection} puts in the packet ({@code outboundProperties}).
 */
final class PublishSize {
    private PublishSize() {
    }

    /**
     * Bytes on the wire of an MQTT 5 (or, with {@code v5} false, 3.1.1) PUBLISH of {@code message} at its QoS, with
     * {@code withExpiry} saying whether a Message Expiry Interval is sent and the given subscription identifiers.
     */
    static long of(Message message, boolean v5, boolean withExpiry, List<Integer> subscriptionIdentifiers) {
        long remaining = 2L + ByteBufUtil.utf8Bytes(message.topic().value()) + message.payload().length;
        if (message.qos().value() > 0) {
            remaining += 2; // packet identifier
        }
        if (v5) {
            long properties = properties(message.properties(), withExpiry, subscriptionIdentifiers);
            remaining += variableByteIntegerSize(properties) + properties;
        }
        return 1 + variableByteIntegerSize(remaining) + remaining;
    }

    private static long properties(MessageProperties p, boolean withExpiry, List<Integer> subscriptionIdentifiers) {
        long size = 0;
        if (withExpiry) {
            size += 1 + 4;
        }
        if (p.payloadUtf8()) {
            size += 1 + 1;
        }
        if (p.contentType() != null) {
            size += 1 + 2 + ByteBufUtil.utf8Bytes(p.contentType());
        }
        if (p.responseTopic() != null) {
            size += 1 + 2 + ByteBufUtil.utf8Bytes(p.responseTopic().value());
        }
        if (p.correlationData() != null) {
            size += 1 + 2 + p.correlationData().length;
        }
        for (UserProperty user : p.userProperties()) {
            size += 1 + 2 + ByteBufUtil.utf8Bytes(user.name()) + 2 + ByteBufUtil.utf8Bytes(user.value());
        }
        for (int id : subscriptionIdentifiers) {
            size += 1 + variableByteIntegerSize(id);
        }
        return size;
    }

    /** MQTT 5 §1.5.5: 7 bits per byte. */
    private static int variableByteIntegerSize(long value) {
        int bytes = 1;
        while (value >= 128) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }
}
