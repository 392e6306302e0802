package io.rampart.broker.store;

import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.TopicFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A persistent session as stored.
 *
 * @param clientId              its client id
 * @param present               true when an existing session was resumed (CONNACK session-present, MQTT-3.2.2-2)
 * @param expiry                the session expiry interval
 * @param subscriptions         its subscriptions
 * @param inboundQos2PacketIds  QoS 2 packet ids received from the client and not yet released by PUBREL
 * @param expiresAt             when the disconnected session expires; null while a connection used it when it was
 *                              stored (also when the node stopped without closing it) and when it never expires
 */
public record StoredSession(String clientId, boolean present, Duration expiry, Map<TopicFilter, SubscriptionOptions> subscriptions,
                            Set<Integer> inboundQos2PacketIds, Instant expiresAt) {
    public StoredSession {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiry, "expiry");
        subscriptions = Map.copyOf(subscriptions);
        inboundQos2PacketIds = Set.copyOf(inboundQos2PacketIds);
    }
}
