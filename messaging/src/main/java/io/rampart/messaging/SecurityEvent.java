package io.rampart.messaging;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something security-relevant the gateway saw: a refused client, a denied action, a session taken over. Emitted for
 * every occurrence (no sampling in the broker); consumers aggregate.
 */
public sealed interface SecurityEvent {

    /** When it happened (the broker's clock). */
    Instant timestamp();

    /**
     * A TLS client was refused before any MQTT packet was read.
     *
     * @param sourceIp      the peer's IP address as text
     * @param reason        why
     * @param certificateId the presented certificate's id (SHA-256 of its DER, hex), when one was presented
     * @param issuer        the presented certificate's issuer DN (RFC 2253), when one was presented; tells a
     *                      foreign CA's certificate from an unregistered one of a known CA
     * @param serverName    the SNI host name the client asked for, when the handshake completed and it sent one
     * @param alpnProtocol  the ALPN protocol agreed, when the handshake completed and one was
     * @param detail        for operators (the TLS error, the registry's explanation); never sent to the client
     */
    record AuthenticationFailed(Instant timestamp, String sourceIp, AuthenticationFailureReason reason,
                                Optional<String> certificateId, Optional<String> issuer, Optional<String> serverName,
                                Optional<String> alpnProtocol, String detail) implements SecurityEvent {
        public AuthenticationFailed {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(sourceIp, "sourceIp");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(certificateId, "certificateId");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(serverName, "serverName");
            Objects.requireNonNull(alpnProtocol, "alpnProtocol");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The policy denied an MQTT action (the event behind {@code aws:num-authorization-failures}). Emitted once per
     * denied action, also when the denial came from the connection's decision cache.
     *
     * @param sourceIp    the peer's IP address as text
     * @param principalId the certificate id (or, on the plain listener, its policy name)
     * @param clientId    the MQTT client id
     * @param action      {@code iot:Connect}, {@code iot:Publish}, {@code iot:RetainPublish}, {@code iot:Subscribe}
     *                    or {@code iot:Receive}
     * @param resource    the ARN the action was on ({@code ...:client/<id>}, {@code ...:topic/<t>},
     *                    {@code ...:topicfilter/<f>})
     */
    record AuthorizationDenied(Instant timestamp, String sourceIp, String principalId, String clientId, String action,
                               String resource) implements SecurityEvent {
        public AuthorizationDenied {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(sourceIp, "sourceIp");
            Objects.requireNonNull(principalId, "principalId");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(resource, "resource");
        }
    }

    /**
     * A CONNECT with a client id that had a live connection took the session over; the old connection was closed
     * with "session taken over" (MQTT-3.1.4-3, reason code 0x8E). Two principals fighting over one client id (or
     * one shared certificate on two devices) show up as a stream of these.
     *
     * @param previous the connection that was closed
     * @param next     the connection that now holds the client id
     */
    record SessionTakenOver(Instant timestamp, ClientConnection previous, ClientConnection next) implements SecurityEvent {
        public SessionTakenOver {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(next, "next");
        }

        /** The client id both connections used. */
        public String clientId() {
            return next.clientId();
        }
    }

    /**
     * This listener fell behind and the broker dropped {@code count} events for it since the last report (the
     * broker never waits for a listener).
     */
    record EventsDropped(Instant timestamp, long count) implements SecurityEvent {
        public EventsDropped {
            Objects.requireNonNull(timestamp, "timestamp");
            if (count <= 0) {
                throw new IllegalArgumentException("count must be positive, got " + count);
            }
        }
    }
}
