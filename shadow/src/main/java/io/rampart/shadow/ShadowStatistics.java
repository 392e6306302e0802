package io.rampart.shadow;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of Device Shadow operations since start, by operation and outcome, over MQTT and HTTP alike (the node's
 * Prometheus endpoint reads them). Thread-safe.
 */
public final class ShadowStatistics {
    /** What was asked. */
    public enum Operation {
        GET, UPDATE, DELETE, LIST_NAMED;

        /** The metric label: lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How it ended: accepted, rejected for the caller's fault (4xx: not found, conflict, bad document), or failed (5xx). */
    public enum Outcome {
        ACCEPTED, REJECTED, FAILED;

        /** The metric label: lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder[] counts = new LongAdder[Operation.values().length * Outcome.values().length];

    public ShadowStatistics() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one operation. */
    public void record(Operation operation, Outcome outcome) {
        counts[operation.ordinal() * Outcome.values().length + outcome.ordinal()].increment();
    }

    /** Operations of this kind that ended this way so far. */
    public long count(Operation operation, Outcome outcome) {
        return counts[operation.ordinal() * Outcome.values().length + outcome.ordinal()].sum();
    }
}
