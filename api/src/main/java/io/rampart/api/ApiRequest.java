package io.rampart.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed, authenticated API request as a handler sees it: path parameters (decoded), query parameters,
 * headers (names lower-case), the body, and the caller. Accessors turn bad input into
 * {@code InvalidRequestException}s that name the parameter.
 */
public final class ApiRequest {
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Caller caller;
    private final ObjectMapper mapper;

    ApiRequest(Map<String, String> pathParams, Map<String, List<String>> query, Map<String, List<String>> headers,
               byte[] body, Caller caller, ObjectMapper mapper) {
        this.pathParams = Map.copyOf(pathParams);
        this.query = Map.copyOf(query);
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.caller = caller;
        this.mapper = mapper;
    }

    /** The caller whose key signed the request; null only on {@link Route.Access#PUBLIC} routes. */
    public Caller caller() {
        return caller;
    }

    /** The mapper the server reads and writes JSON with ({@code Json.newMapper()}). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A path parameter of the route template, percent-decoded. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route template has no parameter {" + name + "}");
        }
        return value;
    }

    /** The first value of a query parameter; a parameter given without value ({@code ?forceDelete}) is "". */
    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public String requiredQuery(String name) {
        return query(name).filter(v -> !v.isEmpty())
                .orElseThrow(() -> RampartException.invalidRequest("query parameter '" + name + "' is required"));
    }

    public Optional<Integer> queryInt(String name) {
        return query(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw RampartException.invalidRequest("query parameter '" + name + "' must be an integer, got '" + v + "'");
            }
        });
    }

    /** A boolean query parameter; AWS SDKs send "true"/"false", and a bare {@code ?name} means true. */
    public Optional<Boolean> queryBoolean(String name) {
        return query(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw RampartException.invalidRequest("query parameter '" + name + "' must be true or false, got '" + v + "'");
        });
    }

    /** Paging parameters named as the operation names them ({@code maxResults}/{@code nextToken}, {@code pageSize}/{@code marker}). */
    public Page.Request page(String sizeParameter, String tokenParameter) {
        return Page.Request.of(queryInt(sizeParameter).orElse(null), query(tokenParameter).filter(t -> !t.isEmpty()).orElse(null));
    }

    /** The first value of a header (name case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The body exactly as received: data-plane payloads (shadow documents, MQTT messages) are opaque bytes. */
    public byte[] rawBody() {
        return body.clone();
    }

    /** The body as a JSON object; an empty body is an empty object (AWS SDKs omit bodies with no members). */
    public ObjectNode body() {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw RampartException.invalidRequest("request body could not be read: " + e.getMessage());
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw RampartException.invalidRequest("request body must be a JSON object, got " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
    }

    /** A required string member of the JSON body. */
    public static String requiredText(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            throw RampartException.invalidRequest("member '" + member + "' is required");
        }
        if (!value.isTextual()) {
            throw RampartException.invalidRequest("member '" + member + "' must be a string");
        }
        return value.textValue();
    }

    /** An optional string member of the JSON body. */
    public static Optional<String> optionalText(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw RampartException.invalidRequest("member '" + member + "' must be a string");
        }
        return Optional.of(value.textValue());
    }

    /** An optional boolean member of the JSON body. */
    public static Optional<Boolean> optionalBoolean(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw RampartException.invalidRequest("member '" + member + "' must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /** An AWS enum value (e.g. a certificate status) by its exact name; anything else is an InvalidRequestException listing the choices. */
    public static <E extends Enum<E>> E enumValue(Class<E> type, String parameter, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw RampartException.invalidRequest(parameter + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(Enum::name).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }

    private static RampartException malformed(JsonProcessingException e) {
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return RampartException.invalidRequest("request body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
}
