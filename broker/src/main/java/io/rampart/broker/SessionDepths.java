package io.rampart.broker;

/**
 * How much the broker holds for its clients right now (the node's Prometheus endpoint reads this).
 *
 * @param sessions the sessions the broker keeps, connected or not
 * @param queued   messages waiting in session queues (offline clients, full in-flight windows)
 * @param inFlight QoS 1/2 messages sent and not yet acknowledged
 */
public record SessionDepths(int sessions, long queued, long inFlight) {
}
