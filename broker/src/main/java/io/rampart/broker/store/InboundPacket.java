package io.rampart.broker.store;

import java.util.Objects;

/** A QoS 2 PUBLISH received from a persistent-session client, identified by its packet id until PUBREL. */
public record InboundPacket(String clientId, int packetId) {
    public InboundPacket {
        Objects.requireNonNull(clientId, "clientId");
        if (packetId < 1 || packetId > 65_535) {
            throw new IllegalArgumentException("packet id must be 1..65535, got " + packetId);
        }
    }
}
