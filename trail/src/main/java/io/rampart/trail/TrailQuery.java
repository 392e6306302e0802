package io.rampart.trail;

import java.time.Instant;

/** LookupEvents-style filters; every non-null field must match (resource matches any listed resource). */
public record TrailQuery(Instant startTime, Instant endTime, String eventName, String principal, String resource,
                         String sourceIp) {
    /** No filter: every event. */
    public static TrailQuery all() {
        return new TrailQuery(null, null, null, null, null, null);
    }

    boolean matches(TrailRecord record) {
        TrailEvent e = record.event();
        return (startTime == null || !e.eventTime().isBefore(startTime))
                && (endTime == null || !e.eventTime().isAfter(endTime))
                && (eventName == null || eventName.equals(e.eventName()))
                && (principal == null || principal.equals(e.principal()))
                && (sourceIp == null || sourceIp.equals(e.sourceIp()))
                && (resource == null || e.resources().contains(resource));
    }
}
