package io.rampart.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The on-disk format. One record per line:
 * {@code {"hash":"<64 hex>","prev":"<64 hex>","record":<record JSON>}\n}, where
 * {@code hash = SHA-256(prev bytes || record JSON bytes exactly as written)}. Hashing the written bytes (not a
 * re-serialisation) makes the record bytes canonical by construction; the fixed-width prefix lets a verifier cut
 * them out without parsing. Segments are {@code segment-<first seq, 20 digits>.jsonl}; digests
 * {@code digest-<number, 10 digits>.json}.
 */
final class TrailFormat {
    static final String ZERO_HASH = "0".repeat(64);
    private static final String HASH_PREFIX = "{\"hash\":\"";
    private static final String PREV_PREFIX = "\",\"prev\":\"";
    private static final String RECORD_PREFIX = "\",\"record\":";
    static final int RECORD_OFFSET = HASH_PREFIX.length() + 64 + PREV_PREFIX.length() + 64 + RECORD_PREFIX.length();
    private static final HexFormat HEX = HexFormat.of();

    private final ObjectMapper mapper = Json.newMapper();

    /** A parsed line: the stored hashes, the record bytes, and whether the stored hash matches them. */
    record Line(long seq, String hash, String prev, byte[] recordBytes, boolean selfConsistent, TrailEvent event) {
    }

    byte[] recordBytes(long seq, TrailEvent e) {
        ObjectNode node = mapper.createObjectNode();
        node.put("seq", seq);
        node.put("eventTime", e.eventTime().toString());
        node.put("eventSource", e.eventSource());
        node.put("eventName", e.eventName());
        node.put("principal", e.principal());
        node.put("sourceIp", e.sourceIp());
        node.put("userAgent", e.userAgent());
        node.set("requestParameters", e.requestParameters());
        ArrayNode resources = node.putArray("resources");
        e.resources().forEach(resources::add);
        node.put("status", e.status());
        node.put("errorCode", e.errorCode());
        node.put("requestId", e.requestId());
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException ex) {
            throw new IllegalStateException("a trail record could not be serialised", ex);
        }
    }

    static String chainHash(String prevHex, byte[] recordBytes) {
        MessageDigest sha = sha256();
        sha.update(HEX.parseHex(prevHex));
        sha.update(recordBytes);
        return HEX.formatHex(sha.digest());
    }

    static byte[] line(String hash, String prev, byte[] recordBytes) {
        byte[] head = (HASH_PREFIX + hash + PREV_PREFIX + prev + RECORD_PREFIX).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + recordBytes.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(recordBytes, 0, out, head.length, recordBytes.length);
        out[out.length - 2] = '}';
        out[out.length - 1] = '\n';
        return out;
    }

    /** Parses one line (without its newline); empty when it is not a well-formed record line. */
    Optional<Line> parse(byte[] line) {
        if (line.length < RECORD_OFFSET + 3 || line[line.length - 1] != '}') {
            return Optional.empty();
        }
        String head = new String(line, 0, RECORD_OFFSET, StandardCharsets.US_ASCII);
        if (!head.startsWith(HASH_PREFIX) || !head.startsWith(PREV_PREFIX, HASH_PREFIX.length() + 64)
                || !head.endsWith(RECORD_PREFIX)) {
            return Optional.empty();
        }
        String hash = head.substring(HASH_PREFIX.length(), HASH_PREFIX.length() + 64);
        String prev = head.substring(HASH_PREFIX.length() + 64 + PREV_PREFIX.length(), HASH_PREFIX.length() + 128 + PREV_PREFIX.length());
        if (!isHex(hash) || !isHex(prev)) {
            return Optional.empty();
        }
        byte[] recordBytes = java.util.Arrays.copyOfRange(line, RECORD_OFFSET, line.length - 1);
        boolean consistent = chainHash(prev, recordBytes).equals(hash);
        try {
            JsonNode node = mapper.readTree(recordBytes);
            if (node == null || !node.path("seq").canConvertToLong()) {
                return Optional.empty();
            }
            return Optional.of(new Line(node.get("seq").asLong(), hash, prev, recordBytes, consistent, event(node)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static TrailEvent event(JsonNode n) {
        List<String> resources = new ArrayList<>();
        n.path("resources").forEach(r -> resources.add(r.asText()));
        return new TrailEvent(Instant.parse(n.path("eventTime").asText()), n.path("eventSource").asText(),
                n.path("eventName").asText(), text(n, "principal"), text(n, "sourceIp"), text(n, "userAgent"),
                n.get("requestParameters"), resources, n.path("status").asInt(), text(n, "errorCode"),
                text(n, "requestId"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static String segmentName(long firstSeq) {
        return String.format("segment-%020d.jsonl", firstSeq);
    }

    static String digestName(long number) {
        return String.format("digest-%010d.json", number);
    }

    static boolean isSegment(String name) {
        return name.matches("segment-\\d{20}\\.jsonl");
    }

    static boolean isDigest(String name) {
        return name.matches("digest-\\d{10}\\.json");
    }

    static long number(String name) {
        return Long.parseLong(name.replaceAll("\\D", ""));
    }

    static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    /** Splits a segment file into lines; {@code partialTail} holds bytes after the last newline (a torn write). */
    record Split(List<byte[]> lines, List<Long> lineEnds, byte[] partialTail) {
    }

    static Split split(byte[] file) {
        List<byte[]> lines = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(file, start, i));
                ends.add((long) i + 1);
                start = i + 1;
            }
        }
        return new Split(lines, ends, java.util.Arrays.copyOfRange(file, start, file.length));
    }
}
