package io.rampart.trail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recorded action, shaped after a CloudTrail event: who (principal, source IP, user agent) did what (event
 * source and name, redacted request parameters, resources) when, and with which outcome (status, error code).
 *
 * @param principal   the access key id that signed the request (the certificate id for gateway events), or null for
 *                    unauthenticated calls
 * @param errorCode   the AWS error name when the call failed, else null
 * @param requestParameters already redacted: see {@link Redaction}
 */
public record TrailEvent(Instant eventTime, String eventSource, String eventName, String principal, String sourceIp,
                         String userAgent, JsonNode requestParameters, List<String> resources, int status,
                         String errorCode, String requestId) {
    /** Events the API records. */
    public static final String API_SOURCE = "iot.amazonaws.com";
    /** Security events of the MQTT gateway (refused clients, policy denials, session takeovers). */
    public static final String GATEWAY_SOURCE = "rampart.gateway";
    /** Events the trail records about itself (recovery, digests, retention). */
    public static final String TRAIL_SOURCE = "rampart.trail";

    public TrailEvent {
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(eventSource, "eventSource");
        Objects.requireNonNull(eventName, "eventName");
        resources = resources == null ? List.of() : List.copyOf(resources);
    }
}
