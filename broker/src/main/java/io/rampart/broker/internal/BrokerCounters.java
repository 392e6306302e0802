package io.rampart.broker.internal;

import io.rampart.broker.BrokerStatistics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The broker's counters, incremented from any thread; {@link #snapshot()} reads them for metrics and tests. */
public final class BrokerCounters {
    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder handshakeFailures = new LongAdder();
    final LongAdder authenticationFailures = new LongAdder();
    final LongAdder connectsRefused = new LongAdder();
    final LongAdder authorizationDenials = new LongAdder();
    final LongAdder protocolViolations = new LongAdder();
    final LongAdder limitViolations = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder messagesDropped = new LongAdder();
    final LongAdder payloadBytesReceived = new LongAdder();
    final LongAdder payloadBytesSent = new LongAdder();
    /** Denials by policy action (iot:Publish, iot:Receive, ...); their sum is {@link #authorizationDenials}. */
    private final Map<String, LongAdder> denialsByAction = new ConcurrentHashMap<>();

    /** One action denied by policy. */
    void denied(String action) {
        authorizationDenials.increment();
        denialsByAction.computeIfAbsent(action, a -> new LongAdder()).increment();
    }

    private Map<String, Long> denialsByAction() {
        Map<String, Long> counts = new TreeMap<>();
        denialsByAction.forEach((action, count) -> counts.put(action, count.sum()));
        return counts;
    }

    /** The current values. */
    public BrokerStatistics snapshot() {
        return new BrokerStatistics(connectionsAccepted.sum(), handshakeFailures.sum(), authenticationFailures.sum(),
                connectsRefused.sum(), authorizationDenials.sum(), protocolViolations.sum(), limitViolations.sum(),
                messagesReceived.sum(), messagesSent.sum(), messagesDropped.sum(), payloadBytesReceived.sum(),
                payloadBytesSent.sum(), denialsByAction());
    }
}
