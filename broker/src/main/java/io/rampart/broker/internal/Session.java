package io.rampart.broker.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The server side of one MQTT session (MQTT 5 §4.1): what outlives a connection when the session persists.
 *
 * <p>Invariants: every field below the constructor is guarded by this object's monitor; a session is attached to
 * at most one live connection ({@link #connection}); {@link #inFlight} holds packet ids sent and not yet
 * acknowledged (PUBACK, or PUBCOMP for QoS 2) and never exceeds the connection's window when messages are sent from
 * {@link #queue}; {@link #inboundQos2} holds the ids of QoS 2 PUBLISHes received and not yet released (method A of
 * MQTT 5 §4.3.3: routed on PUBLISH, so a DUP re-send is acknowledged without being routed twice).
 *
 * <p>With a broker store, {@link #stored} says the store holds this session: then its subscriptions, the QoS 1/2
 * messages queued or in flight for it ({@link Outbound#stored()}) and its inbound QoS 2 packet ids are written there
 * too, and this object is the running copy the broker works from (the store is read only at start-up).
 */
final class Session {
    final String clientId;

    MqttConnection connection;
    Duration expiry;
    final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    final Map<Integer, InFlight> inFlight = new LinkedHashMap<>();
    final Set<Integer> inboundQos2 = new HashSet<>();
    private int lastPacketId;
    ScheduledFuture<?> expiryTask;
    ScheduledFuture<?> pendingWill;
    boolean discarded;
    /** Written under the monitor; volatile because routing reads it without taking the monitor. */
    volatile boolean stored;

    Session(String clientId, Duration expiry) {
        this.clientId = clientId;
        this.expiry = expiry;
    }

    /** Whether the session outlives its connection (expiry interval > 0; MQTT 3.1.1 cleanSession=0). */
    boolean persistent() {
        return !expiry.isZero();
    }

    /** The next packet id not in flight, 1..65535 (MQTT-2.2.1-3). Call with the monitor held and the window not full. */
    int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }

    synchronized boolean inboundQos2Contains(int packetId) {
        return inboundQos2.contains(packetId);
    }

    synchronized void inboundQos2Add(int packetId) {
        inboundQos2.add(packetId);
    }

    synchronized boolean inboundQos2Remove(int packetId) {
        return inboundQos2.remove(packetId);
    }

    synchronized int inboundQos2Count() {
        return inboundQos2.size();
    }

    /** One unacknowledged outbound QoS 1/2 delivery; {@code released} once PUBREC came and PUBREL was sent. */
    static final class InFlight {
        final Outbound outbound;
        boolean released;

        InFlight(Outbound outbound) {
            this.outbound = outbound;
        }
    }
}
