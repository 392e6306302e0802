package io.rampart.bench.mqtt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one workload measured against one target.
 *
 * @param measures  the figures, in report order
 * @param counts    messages or connections sent/expected and received, to check the generator and the broker
 * @param problem   why the counts are inconsistent (e.g. a QoS 1 message lost), if they are
 */
record WorkloadResult(List<Measure> measures, Counts counts, Optional<String> problem) {
    WorkloadResult {
        measures = List.copyOf(measures);
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(problem, "problem");
    }

    /** The measure called {@code name}. */
    Optional<Measure> measure(String name) {
        return measures.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * @param expected  deliveries (or connections) a perfect broker would produce
     * @param received  deliveries (or connections) observed
     * @param duplicates deliveries of a message the receiver had already seen
     */
    record Counts(long expected, long received, long duplicates) {
        @Override
        public String toString() {
            return "expected " + expected + ", received " + received + (duplicates > 0 ? ", duplicates " + duplicates : "");
        }
    }
}
