package io.rampart.broker;

import java.util.Objects;

/**
 * One authorization question about an MQTT action.
 *
 * @param principal who acts: the connection's certificate (or the plain listener's policy)
 * @param clientId  the MQTT client id of the connection ({@code iot:ClientId})
 * @param sourceIp  the peer's IP address ({@code aws:SourceIp})
 * @param action    e.g. {@code iot:Publish}
 * @param resource  the full ARN, e.g. {@code arn:aws:iot:us-east-1:000000000000:topic/a/b}
 */
public record AuthorizationQuery(Principal principal, String clientId, String sourceIp, String action, String resource) {
    public AuthorizationQuery {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
    }
}
