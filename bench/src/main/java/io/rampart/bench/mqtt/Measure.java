package io.rampart.bench.mqtt;

import java.util.Objects;

/**
 * One figure of a workload.
 *
 * @param name          what it is, e.g. "received msgs/s"
 * @param value         the figure
 * @param higherIsBetter true for throughput, false for latency and memory (decides which way the ratio is taken)
 */
record Measure(String name, double value, boolean higherIsBetter) {
    Measure {
        Objects.requireNonNull(name, "name");
    }
}
