package io.rampart.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rampart.api.internal.SigV4Verifier;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.RampartException;
import io.rampart.trail.Redaction;
import io.rampart.trail.Trail;
import io.rampart.trail.TrailEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one HTTP exchange into a route call: match, read the body (bounded), authenticate (SigV4), authorize
 * (role against the route's access), run the handler, and write the answer.
 *
 * <p>This is the single place where errors meet the wire: a {@link RampartException} becomes its status,
 * {@code x-amzn-ErrorType: <AwsName>} and {@code {"message": ...}}, which the AWS SDKs' restJson1 error
 * parsing maps to the modeled exception class; anything else becomes a 500 InternalFailureException whose
 * body says nothing about the cause, logged once with its request id.
 */
final class Dispatcher implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final String REQUEST_ID = "x-amzn-RequestId";
    static final String ERROR_TYPE = "x-amzn-ErrorType";

    private final ApiConfig config;
    private final AccessKeys accessKeys;
    private final RouteTable routes;
    private final SigV4Verifier verifier;
    private final ObjectMapper mapper = Json.newMapper();
    private final Trail trail;
    private final java.time.Clock clock;
    /** Where each call's latency goes, by AWS operation and HTTP status; null on a node without metrics. */
    private final MeterRegistry metrics;

    /** What the trail needs to know about a request, filled in as {@link #dispatch} learns it. */
    private static final class Seen {
        Route route;
        Caller caller;
        /** The access key id a signature claimed, recorded even when authentication then fails (as CloudTrail does). */
        String claimedKeyId;
        Map<String, String> pathParams = Map.of();
        Map<String, List<String>> query = Map.of();
        byte[] body;
        String contentType;
    }

    Dispatcher(ApiConfig config, ApiServices services, RouteTable routes) {
        this.config = config;
        this.trail = services.trail();
        this.clock = services.clock();
        this.metrics = services.metrics();
        this.accessKeys = services.accessKeys();
        this.routes = routes;
        this.verifier = new SigV4Verifier(config.scope().region(), config.allowedClockSkew(), services.clock());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        java.time.Instant eventTime = clock.instant();
        Timer.Sample latency = metrics == null ? null : Timer.start(metrics);
        Seen seen = new Seen();
        int status = 500;
        try (exchange) {
            ApiResponse response;
            try {
                response = dispatch(exchange, seen);
            } catch (RampartException e) {
                response = switch (e.type()) {
                    // A service's internal failure message may name hosts or files: log it, answer generically.
                    case INTERNAL_FAILURE -> {
                        LOG.error("request {} failed: {}", requestId, e.getMessage(), e);
                        yield internalFailure(requestId);
                    }
                    // The rest of the body is never read: ask the client not to reuse this connection.
                    case REQUEST_ENTITY_TOO_LARGE -> error(e.type(), e.getMessage()).withHeader("Connection", "close");
                    default -> error(e.type(), e.getMessage());
                };
            } catch (Exception e) {
                LOG.error("request {} {} {} failed", requestId, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                response = internalFailure(requestId);
            }
            response = record(exchange, requestId, eventTime, seen, response);
            status = response.status();
            write(exchange, requestId, response);
        } finally {
            if (latency != null) {
                // From the first byte read to the last byte written, the trail's durable write included.
                latency.stop(Timer.builder("rampart.api.requests")
                        .description("API calls by AWS operation and HTTP status, from request to answer written")
                        .tag("operation", seen.route == null ? "UnknownOperation" : seen.route.operation())
                        .tag("status", Integer.toString(status))
                        .register(metrics));
            }
        }
    }

    /**
     * Records the call in the trail, once, after it ran and before the answer leaves. Fail-closed: if the record
     * cannot be made durable the caller gets a 500 instead of the result (the action itself may have taken effect;
     * the caller learns that its outcome is unconfirmed, and the failure is logged with the request id).
     */
    private ApiResponse record(HttpExchange exchange, String requestId, java.time.Instant eventTime, Seen seen,
                               ApiResponse response) {
        if (trail == null) {
            return response;
        }
        ObjectNode params = mapper.createObjectNode();
        seen.pathParams.forEach(params::put);
        seen.query.forEach((name, values) -> {
            if (values.size() == 1) {
                params.put(name, values.getFirst());
            } else {
                values.forEach(params.withArray(name)::add);
            }
        });
        if (seen.body != null && seen.body.length > 0) {
            try {
                params.set("body", mapper.readTree(seen.body));
            } catch (java.io.IOException e) {
                // Not JSON (shadow documents are JSON; a publish payload may be anything): record only its size.
                params.put("bodyBytes", seen.body.length);
            }
        }
        Route route = seen.route;
        String errorCode = response.headers().get(ERROR_TYPE);
        TrailEvent event = new TrailEvent(eventTime, TrailEvent.API_SOURCE, route == null ? "UnknownOperation" : route.operation(),
                seen.caller != null ? seen.caller.accessKeyId() : seen.claimedKeyId,
                exchange.getRemoteAddress() == null ? null : exchange.getRemoteAddress().getAddress().getHostAddress(),
                exchange.getRequestHeaders().getFirst("User-Agent"), Redaction.redact(params),
                List.copyOf(seen.pathParams.values()), response.status(), errorCode, requestId);
        try {
            trail.record(event);
            return response;
        } catch (RuntimeException e) {
            LOG.error("request {}: the trail could not record the call; answering 500", requestId, e);
            return internalFailure(requestId);
        }
    }

    private ApiResponse dispatch(HttpExchange exchange, Seen seen) throws Exception {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String rawQuery = uri.getRawQuery();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        RouteTable.Match match = routes.match(method, rawPath);
        Route route = match instanceof RouteTable.Match.Found found ? found.route() : null;
        seen.route = route;
        seen.query = parseQuery(rawQuery);
        if (match instanceof RouteTable.Match.Found found) {
            seen.pathParams = found.pathParams();
        }
        byte[] body = readBody(exchange, headers);
        seen.body = body;
        Caller caller = null;
        if (route == null || route.access() != Route.Access.PUBLIC) {
            // Unknown paths are authenticated too, so an unsigned caller learns nothing about what exists.
            SigV4Verifier.SignedRequest signed = new SigV4Verifier.SignedRequest(method, rawPath, rawQuery, headers, body);
            SigV4Verifier.ParsedSignature signature = verifier.parse(signed, route == null ? Route.CONTROL_PLANE : route.signingName());
            seen.claimedKeyId = signature.accessKeyId();
            AccessKeys.Resolved key = accessKeys.resolve(signature.accessKeyId()).orElseThrow(() ->
                    new RampartException(ErrorType.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid."));
            verifier.verify(signed, signature, key.secret());
            caller = key.caller();
            seen.caller = caller;
        }
        return switch (match) {
            case RouteTable.Match.NotFound notFound ->
                    throw new RampartException(ErrorType.UNKNOWN_OPERATION, "No operation is served at " + method + " " + rawPath);
            case RouteTable.Match.WrongMethod wrong ->
                    throw new RampartException(ErrorType.METHOD_NOT_ALLOWED, rawPath + " does not accept " + method
                            + "; allowed: " + String.join(", ", wrong.allowed()));
            case RouteTable.Match.Found found -> {
                authorize(caller, found.route());
                ApiRequest request = new ApiRequest(found.pathParams(), parseQuery(rawQuery), headers, body, caller, mapper);
                yield found.route().handler().handle(request);
            }
        };
    }

    private void authorize(Caller caller, Route route) {
        boolean allowed = switch (route.access()) {
            case PUBLIC, READ -> true;
            case WRITE, ADMIN -> caller.role() == AccessKeys.Role.ADMIN;
        };
        if (!allowed) {
            // The form IAM uses for an identity-based denial, which AWS IoT's control plane returns as-is.
            throw new RampartException(ErrorType.ACCESS_DENIED, "User: arn:aws:iam::" + config.scope().accountId() + ":user/"
                    + caller.name() + " is not authorized to perform: iot:" + route.operation()
                    + " because access key " + caller.accessKeyId() + " is read-only");
        }
    }

    /** Reads at most {@code maxRequestBytes}; a declared or actual larger body is refused without reading it all. */
    private byte[] readBody(HttpExchange exchange, Map<String, List<String>> headers) throws IOException {
        int limit = config.maxRequestBytes();
        List<String> declared = headers.get("content-length");
        if (declared != null && !declared.isEmpty()) {
            long length;
            try {
                length = Long.parseLong(declared.getFirst().strip());
            } catch (NumberFormatException e) {
                throw RampartException.invalidRequest("Content-Length must be a number");
            }
            if (length > limit) {
                throw tooLarge(limit);
            }
        }
        InputStream in = exchange.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int n; (n = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - total))) > 0; ) {
            out.write(buffer, 0, n);
            total += n;
            if (total > limit) {
                throw tooLarge(limit);
            }
        }
        return out.toByteArray();
    }

    private static RampartException tooLarge(int limit) {
        return new RampartException(ErrorType.REQUEST_ENTITY_TOO_LARGE, "Request body is larger than " + limit + " bytes");
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = PathTemplate.decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : PathTemplate.decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        query.replaceAll((name, values) -> List.copyOf(values));
        return query;
    }

    private static ApiResponse internalFailure(String requestId) {
        return error(ErrorType.INTERNAL_FAILURE, "Internal failure (request id " + requestId + ")");
    }

    private static ApiResponse error(ErrorType type, String message) {
        return new ApiResponse(type.httpStatus(), Map.of("message", message), null, "application/json",
                Map.of(ERROR_TYPE, type.awsName()));
    }

    private void write(HttpExchange exchange, String requestId, ApiResponse response) throws IOException {
        byte[] bytes;
        if (response.raw() != null) {
            bytes = response.raw();
        } else if (response.json() != null) {
            try {
                bytes = mapper.writeValueAsBytes(response.json());
            } catch (JsonProcessingException e) {
                LOG.error("request {}: response could not be written as JSON", requestId, e);
                response = internalFailure(requestId);
                bytes = mapper.writeValueAsBytes(response.json());
            }
        } else {
            bytes = new byte[0];
        }
        var out = exchange.getResponseHeaders();
        out.set(REQUEST_ID, requestId);
        out.set("Content-Type", response.contentType());
        response.headers().forEach(out::set);
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes);
            }
        }
    }
}
