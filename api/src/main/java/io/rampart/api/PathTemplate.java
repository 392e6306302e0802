package io.rampart.api;

import io.rampart.common.RampartException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled route template: literal segments, {@code {name}} (one segment) and a final {@code {name+}}
 * (the rest of the path). Matching works on the raw (still percent-encoded) path so that an encoded
 * slash ({@code %2F}) stays inside its segment, and decodes each parameter afterwards.
 */
final class PathTemplate {
    private sealed interface Segment permits Literal, Param, Greedy {
    }

    private record Literal(String text) implements Segment {
    }

    private record Param(String name) implements Segment {
    }

    private record Greedy(String name) implements Segment {
    }

    private final List<Segment> segments;

    PathTemplate(String template) {
        List<Segment> parsed = new ArrayList<>();
        String[] parts = template.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                if (name.endsWith("+")) {
                    if (i != parts.length - 1) {
                        throw new IllegalArgumentException("greedy parameter must be last in " + template);
                    }
                    parsed.add(new Greedy(name.substring(0, name.length() - 1)));
                } else {
                    parsed.add(new Param(name));
                }
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("a parameter must fill its whole segment in " + template);
            } else {
                parsed.add(new Literal(part));
            }
        }
        this.segments = List.copyOf(parsed);
    }

    /** The decoded parameters if {@code rawPath} (starting with '/') matches, else empty. */
    Optional<Map<String, String>> match(String rawPath) {
        String[] parts = rawPath.substring(1).split("/", -1);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment instanceof Greedy greedy) {
                if (i >= parts.length) {
                    return Optional.empty();
                }
                String rest = String.join("/", List.of(parts).subList(i, parts.length));
                if (rest.isEmpty()) {
                    return Optional.empty();
                }
                params.put(greedy.name(), decode(rest));
                return Optional.of(params);
            }
            if (i >= parts.length) {
                return Optional.empty();
            }
            switch (segment) {
                case Literal literal -> {
                    if (!literal.text().equals(parts[i])) {
                        return Optional.empty();
                    }
                }
                case Param param -> {
                    if (parts[i].isEmpty()) {
                        return Optional.empty();
                    }
                    params.put(param.name(), decode(parts[i]));
                }
                case Greedy ignored -> throw new IllegalStateException("handled above");
            }
        }
        return parts.length == segments.size() ? Optional.of(params) : Optional.empty();
    }

    /**
     * Orders templates that match the same path: compared segment by segment, a literal beats a parameter,
     * which beats a greedy parameter.
     */
    int compareSpecificity(PathTemplate other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(rank(segments.get(i)), rank(other.segments.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(other.segments.size(), segments.size());
    }

    /** True when both templates have the same shape (same literals, parameters in the same places). */
    boolean sameShape(PathTemplate other) {
        if (segments.size() != other.segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment a = segments.get(i);
            Segment b = other.segments.get(i);
            if (a instanceof Literal la ? !(b instanceof Literal lb && la.text().equals(lb.text())) : a.getClass() != b.getClass()) {
                return false;
            }
        }
        return true;
    }

    private static int rank(Segment segment) {
        return switch (segment) {
            case Literal l -> 0;
            case Param p -> 1;
            case Greedy g -> 2;
        };
    }

    /** Strict RFC 3986 percent-decoding into UTF-8 ('+' stays '+', as in paths); bad escapes are client errors. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] source = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(source.length);
        for (int i = 0; i < source.length; i++) {
            if (source[i] != '%') {
                bytes.write(source[i]);
                continue;
            }
            int hi = i + 2 < source.length ? Character.digit(source[i + 1], 16) : -1;
            int lo = i + 2 < source.length ? Character.digit(source[i + 2], 16) : -1;
            if (hi < 0 || lo < 0) {
                throw RampartException.invalidRequest("bad percent-encoding in '" + raw + "'");
            }
            bytes.write(hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw RampartException.invalidRequest("percent-encoded bytes are not UTF-8 in '" + raw + "'");
        }
    }
}
