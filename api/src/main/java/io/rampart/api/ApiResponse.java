package io.rampart.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a handler answers: a status, and either a JSON value (any Jackson-serializable object: a record, a
 * {@code Map}, a {@code JsonNode}), raw bytes of a given content type, or nothing.
 */
public record ApiResponse(int status, Object json, byte[] raw, String contentType, Map<String, String> headers) {
    private static final String JSON = "application/json";

    public ApiResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        if (json != null && raw != null) {
            throw new IllegalArgumentException("a response has a JSON body or a raw body, not both");
        }
        Objects.requireNonNull(contentType, "contentType");
        headers = Map.copyOf(headers);
    }

    /** 200 with a JSON body. */
    public static ApiResponse ok(Object json) {
        return new ApiResponse(200, Objects.requireNonNull(json, "json"), null, JSON, Map.of());
    }

    /** 200 with an empty body, as AWS answers Delete*, Update* and Attach* calls that return no members. */
    public static ApiResponse empty() {
        return new ApiResponse(200, null, null, JSON, Map.of());
    }

    /** A status and a text body of a given content type (e.g. a PEM CRL). */
    public static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, null, text.getBytes(StandardCharsets.UTF_8), contentType, Map.of());
    }

    /** This response with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new ApiResponse(status, json, raw, contentType, merged);
    }

    /**
     * A timestamp as restJson1 writes it: seconds since the epoch as a JSON number with millisecond
     * fraction (e.g. {@code 1700000000.123}), which every AWS SDK parses into its date type.
     */
    public static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
