package io.rampart.broker;

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
 */
public record BrokerStatistics(long connectionsAccepted, long handshakeFailures, long authenticationFailures,
                               long connectsRefused, long authorizationDenials, long protocolViolations,
                               long limitViolations, long messagesReceived, long messagesSent, long messagesDropped) {
}
