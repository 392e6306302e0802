package io.rampart.messaging;

import java.util.Objects;

/**
 * One MQTT connection as services see it (the fields AWS IoT puts in lifecycle events).
 *
 * @param clientId    the MQTT client identifier
 * @param principalId the authenticated principal: the certificate id for certificate clients
 * @param sourceIp    the peer's IP address as text
 * @param sessionId   an id unique to this connection, stable for its lifetime ("sessionIdentifier")
 * @param thingName   the thing this connection acts as (client id equal to a thing attached to the certificate), or null
 */
public record ClientConnection(String clientId, String principalId, String sourceIp, String sessionId, String thingName) {
    public ClientConnection {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(sessionId, "sessionId");
    }
}
