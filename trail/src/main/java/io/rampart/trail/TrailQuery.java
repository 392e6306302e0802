package io.rampart.trail;

import java.time.Instant;

/**
 * LookupEvents-style filters; every non-null field must match (resource matches any listed resource).
 *
 * @param eventSource e.g. {@link TrailEvent#API_SOURCE} or {@link TrailEvent#GATEWAY_SOURCE}
 */
public record TrailQuery(Instant startTime, Instant endTime, String eventName, String principal, String resource,
                         String sourceIp, String eventSource) {
    /** No filter: every event. */
    public static TrailQuery all() {
        return new TrailQuery(null, null, null, null, null, null, null);
    }

    boolean matches(TrailRecord record) {
        TrailEvent e = record.event();
        return (startTime == null || !e.eventTime().isBefore(startTime))
                && (endTime == null || !e.eventTime().isAfter(endTime))
                && (eventSource == null || eventSource.equals(e.eventSource()))
                && (eventName == null || eventName.equals(e.eventName()))
                && (principal == null || principal.equals(e.principal()))
                && (sourceIp == null || sourceIp.equals(e.sourceIp()))
                && (resource == null || e.resources().contains(resource));
    }
}
