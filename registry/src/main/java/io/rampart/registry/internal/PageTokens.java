package io.rampart.registry.internal;

import io.rampart.common.RampartException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque nextToken values for keyset pagination: the sort key of the last item returned, tagged with the list
 * it belongs to so a token of one list call is rejected by another.
 */
final class PageTokens {
    private static final char SEPARATOR = '\n';

    private PageTokens() {
    }

    static String encode(String list, String... key) {
        String plain = list + SEPARATOR + String.join(String.valueOf(SEPARATOR), key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The key parts of {@code token}, or null for the first page; InvalidRequestException if it is not one of ours. */
    static List<String> decode(String list, String token, int parts) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        List<String> fields = List.of(plain.split(String.valueOf(SEPARATOR), -1));
        if (fields.size() != parts + 1 || !fields.getFirst().equals(list)) {
            throw invalid();
        }
        return fields.subList(1, fields.size());
    }

    private static RampartException invalid() {
        return RampartException.invalidRequest("nextToken is not valid for this list call: pass the nextToken of the previous page unchanged");
    }
}
