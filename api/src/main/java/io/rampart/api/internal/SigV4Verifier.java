package io.rampart.api.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 in its header form, as AWS services do for every signed request.
 *
 * <p>Two steps, so the caller can look the key up in between: {@link #parse} checks the shape of the
 * {@code Authorization} header, the credential scope (region, service) and the clock skew;
 * {@link #verify} rebuilds the canonical request and compares signatures in constant time.
 *
 * <p>Canonical request rules (AWS "Create a canonical request for Signature Version 4"): the URI path is
 * normalized (dot segments removed) and each character outside {@code A-Za-z0-9-._~/} is percent-encoded
 * again, since non-S3 services sign the already-encoded path a second time; query parameters are decoded,
 * re-encoded, and sorted by name then value; header values are trimmed with inner runs of spaces collapsed,
 * repeated headers joined with commas; the payload hash is always computed from the body received, so a
 * tampered body fails even when the client did not send {@code x-amz-content-sha256}.
 */
public final class SigV4Verifier {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final HexFormat HEX = HexFormat.of();

    /** The parts of a request that SigV4 covers; header names lower-case, path and query as received (still encoded). */
    public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        public SignedRequest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(rawPath, "rawPath");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        String firstHeader(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** A syntactically valid, in-scope, fresh signature whose key still has to be looked up. */
    public record ParsedSignature(String accessKeyId, String amzDate, String scopeDate, String region, String service,
                                  List<String> signedHeaders, byte[] signature) {
    }

    private final String region;
    private final Duration allowedSkew;
    private final Clock clock;

    public SigV4Verifier(String region, Duration allowedSkew, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.allowedSkew = Objects.requireNonNull(allowedSkew, "allowedSkew");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Checks everything that does not need the secret; {@code service} is the signing name the route expects. */
    public ParsedSignature parse(SignedRequest request, String service) {
        String authorization = request.firstHeader("authorization");
        if (authorization == null) {
            if (request.rawQuery() != null && request.rawQuery().contains("X-Amz-Signature=")) {
                throw incomplete("query-string (presigned) SigV4 is not accepted here; sign the Authorization header instead");
            }
            throw new RampartException(ErrorType.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
        }
        authorization = authorization.strip();
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw incomplete("Authorization header must start with '" + ALGORITHM + " '");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length()).split(",")) {
            String trimmed = part.strip();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw incomplete("Authorization header component '" + trimmed + "' is not of the form Name=value");
            }
            parts.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!parts.containsKey(required) || parts.get(required).isEmpty()) {
                throw incomplete("Authorization header requires '" + required + "' parameter");
            }
        }
        String[] credential = parts.get("Credential").split("/", -1);
        if (credential.length != 5 || credential[0].isEmpty()) {
            throw incomplete("Credential must be ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request");
        }
        if (!"aws4_request".equals(credential[4])) {
            throw incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '" + credential[4] + "'");
        }
        List<String> signedHeaders = List.of(parts.get("SignedHeaders").split(";", -1));
        if (!signedHeaders.contains("host")) {
            throw incomplete("SignedHeaders must include 'host'");
        }
        byte[] signature;
        try {
            signature = HEX.parseHex(parts.get("Signature"));
        } catch (IllegalArgumentException e) {
            throw incomplete("Signature must be hexadecimal");
        }
        String amzDate = request.firstHeader("x-amz-date");
        if (amzDate == null) {
            throw incomplete("Authorization header requires existence of a 'X-Amz-Date' header");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date must be in the basic ISO 8601 form yyyyMMdd'T'HHmmss'Z', got '" + amzDate + "'");
        }
        if (!amzDate.startsWith(credential[1])) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from X-Amz-Date");
        }
        if (!region.equals(credential[2])) {
            throw invalid("Credential should be scoped to a valid region: this node answers for '" + region
                    + "', not '" + credential[2] + "'");
        }
        if (!service.equals(credential[3])) {
            throw invalid("Credential should be scoped to correct service: '" + service + "'");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(allowedSkew))) {
            throw invalid("Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(allowedSkew).atOffset(ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - " + allowedSkew.toMinutes() + " min.)");
        }
        if (signedAt.isAfter(now.plus(allowedSkew))) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than " + AMZ_DATE.format(now.plus(allowedSkew).atOffset(ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " + " + allowedSkew.toMinutes() + " min.)");
        }
        String contentSha = request.firstHeader("x-amz-content-sha256");
        if (contentSha != null && !MessageDigest.isEqual(
                contentSha.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                sha256Hex(request.body()).getBytes(StandardCharsets.US_ASCII))) {
            throw invalid("x-amz-content-sha256 does not match the SHA-256 of the request body");
        }
        return new ParsedSignature(credential[0], amzDate, credential[1], credential[2], credential[3], signedHeaders, signature);
    }

    /** Recomputes the signature with the key's secret and compares in constant time. */
    public void verify(SignedRequest request, ParsedSignature parsed, byte[] secret) {
        String canonical = canonicalRequest(request, parsed.signedHeaders());
        String scope = parsed.scopeDate() + "/" + parsed.region() + "/" + parsed.service() + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + parsed.amzDate() + "\n" + scope + "\n" + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] prefix = "AWS4".getBytes(StandardCharsets.UTF_8);
        byte[] initial = new byte[prefix.length + secret.length];
        System.arraycopy(prefix, 0, initial, 0, prefix.length);
        System.arraycopy(secret, 0, initial, prefix.length, secret.length);
        byte[] key = hmac(initial, parsed.scopeDate());
        Arrays.fill(initial, (byte) 0);
        key = hmac(key, parsed.region());
        key = hmac(key, parsed.service());
        key = hmac(key, "aws4_request");
        byte[] expected = hmac(key, stringToSign);
        if (!MessageDigest.isEqual(expected, parsed.signature())) {
            throw invalid("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method.");
        }
    }

    static String canonicalRequest(SignedRequest request, List<String> signedHeaders) {
        StringBuilder canonical = new StringBuilder(256);
        canonical.append(request.method()).append('\n');
        canonical.append(canonicalUri(request.rawPath())).append('\n');
        canonical.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headers().get(name);
            if (values == null) {
                throw invalid("signed header '" + name + "' is missing from the request");
            }
            List<String> trimmed = new ArrayList<>(values.size());
            for (String value : values) {
                trimmed.add(value.strip().replaceAll(" +", " "));
            }
            canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        canonical.append('\n');
        canonical.append(String.join(";", signedHeaders)).append('\n');
        canonical.append(sha256Hex(request.body()));
        return canonical.toString();
    }

    static String canonicalUri(String rawPath) {
        String normalized = removeDotSegments(rawPath.isEmpty() ? "/" : rawPath);
        return encode(normalized, false);
    }

    /** RFC 3986 section 5.2.4, which the AWS SDKs apply to the path before signing (except for S3). */
    static String removeDotSegments(String path) {
        boolean trailingSlash = path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
        Deque<String> output = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                output.pollLast();
            } else {
                output.addLast(segment);
            }
        }
        String joined = "/" + String.join("/", output);
        return trailingSlash && !joined.equals("/") ? joined + "/" : joined;
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {encode(percentDecode(name), true), encode(percentDecode(value), true)});
        }
        pairs.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** SigV4's URI encoding: unreserved characters kept, everything else as %XX (upper case); '/' kept unless {@code encodeSlash}. */
    static String encode(String value, boolean encodeSlash) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Percent-decoding for the signature only: a malformed escape is kept literally, and then fails the signature. */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] source = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(source.length);
        for (int i = 0; i < source.length; i++) {
            int hi = source[i] == '%' && i + 2 < source.length ? Character.digit(source[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(source[i + 2], 16) : -1;
            if (hi >= 0 && lo >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(source[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static RampartException incomplete(String message) {
        return new RampartException(ErrorType.INCOMPLETE_SIGNATURE, message);
    }

    private static RampartException invalid(String message) {
        return new RampartException(ErrorType.INVALID_SIGNATURE, message);
    }
}
