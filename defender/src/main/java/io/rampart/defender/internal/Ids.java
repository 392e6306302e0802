package io.rampart.defender.internal;

import java.time.Instant;
import java.util.UUID;

/** Ids of tasks and findings: 32 hex digits, the first 12 the creation time, so ids sort by creation time. */
public final class Ids {
    private Ids() {
    }

    public static String next(Instant now) {
        UUID random = UUID.randomUUID();
        return String.format("%012x%016x%04x", now.toEpochMilli(), random.getLeastSignificantBits(),
                random.getMostSignificantBits() & 0xffff);
    }
}
