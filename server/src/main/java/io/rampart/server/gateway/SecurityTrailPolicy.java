package io.rampart.server.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How gateway security events are written to the activity trail without letting a flood fill the disk.
 *
 * @param window           per key (certificate + action + resource for denials; source IP + certificate + reason
 *                         for refused clients; client id for takeovers) the first event is recorded at once, the rest
 *                         of each window as one record with their count ({@code --security-trail-window})
 * @param maxRecordsPerWindow at most this many records per window across all keys; events beyond it are counted and
 *                         reported by one {@code SecurityEventsDropped} record per window
 *                         ({@code --security-trail-max-records})
 */
public record SecurityTrailPolicy(Duration window, int maxRecordsPerWindow) {
    public SecurityTrailPolicy {
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the security trail window must be at least 1 second, got " + window);
        }
        if (maxRecordsPerWindow < 1) {
            throw new IllegalArgumentException("the security trail needs at least 1 record per window, got "
                    + maxRecordsPerWindow);
        }
    }

    /** One minute, at most 1,000 records a minute (about 1 MB of trail). */
    public static SecurityTrailPolicy defaults() {
        return new SecurityTrailPolicy(Duration.ofSeconds(60), 1_000);
    }
}
