package io.rampart.api;

import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.trail.Trail;
import io.rampart.trail.TrailQuery;
import io.rampart.trail.TrailRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LookupEvents over the activity trail (CloudTrail's operation, on a Rampart path): newest first, filtered by
 * time range, event source, event name, principal, resource and source IP, paged with maxResults/nextToken. Read-only keys may
 * call it, as AWSCloudTrail_ReadOnlyAccess allows LookupEvents.
 */
final class TrailRoutes implements RouteGroup {
    @Override
    public List<Route> routes(ApiServices services) {
        Trail trail = services.trail();
        if (trail == null) {
            return List.of();
        }
        return List.of(Route.read("GET", "/rampart/trail/events", "LookupEvents", request -> {
            TrailQuery query = new TrailQuery(time(request, "startTime"), time(request, "endTime"),
                    request.query("eventName").orElse(null), request.query("principal").orElse(null),
                    request.query("resource").orElse(null), request.query("sourceIp").orElse(null),
                    request.query("eventSource").orElse(null));
            Page<TrailRecord> page = trail.lookup(query, request.page("maxResults", "nextToken"));
            List<Map<String, Object>> events = page.items().stream().map(TrailRoutes::event).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("events", events);
            if (page.nextToken() != null) {
                body.put("nextToken", page.nextToken());
            }
            return ApiResponse.ok(body);
        }));
    }

    private static Map<String, Object> event(TrailRecord record) {
        var e = record.event();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequenceNumber", record.seq());
        m.put("eventTime", e.eventTime().toString());
        m.put("eventSource", e.eventSource());
        m.put("eventName", e.eventName());
        m.put("principal", e.principal());
        m.put("sourceIp", e.sourceIp());
        m.put("userAgent", e.userAgent());
        m.put("requestParameters", e.requestParameters());
        m.put("resources", e.resources());
        m.put("status", e.status());
        m.put("errorCode", e.errorCode());
        m.put("requestId", e.requestId());
        return m;
    }

    /** ISO-8601 instant or epoch seconds (what the AWS CLI sends for timestamps). */
    private static Instant time(ApiRequest request, String name) {
        Optional<String> value = request.query(name);
        if (value.isEmpty()) {
            return null;
        }
        String v = value.get();
        try {
            return v.matches("\\d+(\\.\\d+)?") ? Instant.ofEpochMilli((long) (Double.parseDouble(v) * 1000)) : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw RampartException.invalidRequest(name + " must be an ISO-8601 time (2026-01-01T00:00:00Z) or epoch seconds, got '" + v + "'");
        }
    }
}
