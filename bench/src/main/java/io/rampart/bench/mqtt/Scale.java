package io.rampart.bench.mqtt;

import java.time.Duration;

/**
 * How big each workload is. Every workload is bounded in count and in time: it stops by itself when either bound is
 * reached.
 *
 * @param fanInMessagesPerPublisher  QoS 0 fan-in: messages each of the 8 publishers sends
 * @param fanOutMessages             QoS 0 fan-out: messages the publisher sends (each delivered to 100 subscribers)
 * @param qos1MessagesPerPublisher   QoS 1 persistent: messages each of the 4 publishers sends
 * @param latencyDuration            latency: how long each QoS level is measured at {@link #latencyRate}
 * @param latencyWarmup              latency: how long before measuring starts (not recorded)
 * @param latencyRate                latency: messages per second, a fixed moderate rate
 * @param tlsConnections             TLS connects: connections opened
 * @param idleConnections            idle: connections held open
 * @param maxDuration                the time bound of each throughput phase
 * @param settle                     idle: wait after the last connect before memory is read
 */
record Scale(int fanInMessagesPerPublisher, int fanOutMessages, int qos1MessagesPerPublisher, Duration latencyDuration,
             Duration latencyWarmup, int latencyRate, int tlsConnections, int idleConnections, Duration maxDuration,
             Duration settle) {

    /** The real comparison: each workload runs for seconds, the whole run a few minutes. */
    static Scale full() {
        return new Scale(100_000, 20_000, 25_000, Duration.ofSeconds(10), Duration.ofSeconds(2), 1_000, 1_000, 2_000,
                Duration.ofSeconds(60), Duration.ofSeconds(3));
    }

    /** Smoke checks: every workload in a second or two, the whole run under about a minute. */
    static Scale quick() {
        return new Scale(2_000, 200, 500, Duration.ofSeconds(1), Duration.ofMillis(200), 1_000, 50, 100,
                Duration.ofSeconds(10), Duration.ofMillis(500));
    }
}
