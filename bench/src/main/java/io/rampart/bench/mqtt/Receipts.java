package io.rampart.bench.mqtt;

import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * What one subscriber received: every payload carries (publisher index, sequence number, send time), so duplicates
 * are told apart from new messages. The receiving client's callbacks run on one thread; the lock is uncontended.
 */
final class Receipts {
    /** Payload size of every bench message. */
    static final int PAYLOAD_BYTES = 64;

    private final BitSet[] seen;
    private long received;
    private long duplicates;
    private long lastNanos;

    Receipts(int publishers) {
        seen = new BitSet[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
        }
    }

    /** A 64-byte payload: publisher index, sequence number, send time (System.nanoTime), zero padding. */
    static byte[] payload(int publisher, int sequence, long sentNanos) {
        return ByteBuffer.allocate(PAYLOAD_BYTES).putInt(publisher).putInt(sequence).putLong(sentNanos).array();
    }

    static int publisher(ByteBuffer payload) {
        return payload.getInt(0);
    }

    static int sequence(ByteBuffer payload) {
        return payload.getInt(4);
    }

    static long sentNanos(ByteBuffer payload) {
        return payload.getLong(8);
    }

    /** Records one delivery; true when it is the first of that message. */
    synchronized boolean record(ByteBuffer payload, long nowNanos) {
        received++;
        lastNanos = Math.max(lastNanos, nowNanos);
        BitSet bits = seen[publisher(payload)];
        int sequence = sequence(payload);
        if (bits.get(sequence)) {
            duplicates++;
            return false;
        }
        bits.set(sequence);
        return true;
    }

    synchronized long received() {
        return received;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** System.nanoTime of the last delivery, 0 before the first. */
    synchronized long lastNanos() {
        return lastNanos;
    }
}
