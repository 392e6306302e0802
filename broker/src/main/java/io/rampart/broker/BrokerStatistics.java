package io.rampart.broker;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters since the broker started (Device Defender's cloud-side metrics and the node's Prometheus endpoint
 * read these).
 *
 * @param connectionsAccepted    TCP connections accepted on any listener
 * @param handshakeFailures      TLS handshakes that failed or timed out
 * @param authenticationFailures client certificates refused by the Authenticator
 * @param connectsRefused        CONNECT packets refused (not authorized, bad client id, throttled, ...)
 * @param authorizationDenials   actions denied by policy (aws:num-authorization-failures)
 * @param protocolViolations     connections closed for breaking MQTT's rules
 * @param limitViolations        packets refused for exceeding a configured limit
 * @param messagesReceived       PUBLISH packets accepted from clients
 * @param messagesSent           PUBLISH packets sent to clients
 * @param messagesDropped        messages not delivered (receive denied, queue full, expired)
 * @param payloadBytesReceived   payload bytes of the PUBLISH packets accepted from clients
 * @param payloadBytesSent       payload bytes of the PUBLISH packets sent to clients
 * @param denialsByAction        {@code authorizationDenials} by policy action ({@code iot:Publish}, ...), sorted
 */
public record BrokerStatistics(long connectionsAccepted, long handshakeFailures, long authenticationFailures,
                               long connectsRefused, long authorizationDenials, long protocolViolations,
                               long limitViolations, long messagesReceived, long messagesSent, long messagesDropped,
                               long payloadBytesReceived, long payloadBytesSent, Map<String, Long> denialsByAction) {
    public BrokerStatistics {
        denialsByAction = Collections.unmodifiableMap(new TreeMap<>(denialsByAction));
    }

    /** Denials of one action so far (0 if none). */
    public long denials(String action) {
        return denialsByAction.getOrDefault(action, 0L);
    }
}
