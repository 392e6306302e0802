package io.rampart.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/**
 * Removes secrets from request parameters before they are recorded: the value of any field whose name contains
 * "privatekey", "secret", "password", "token" (the x-amz-security-token) or "passphrase" (case-insensitive), at any
 * depth, is replaced by {@value #REDACTED}. Certificates and public keys are kept.
 */
public final class Redaction {
    public static final String REDACTED = "HIDDEN_DUE_TO_SECURITY_REASONS";
    private static final String[] SECRET_NAMES = {"privatekey", "secret", "password", "passphrase", "token", "credential"};

    private Redaction() {
    }

    /** A redacted deep copy. {@code nextToken} stays (a paging cursor, not a credential). */
    public static JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        scrub(copy);
        return copy;
    }

    static boolean isSecret(String field) {
        String f = field.toLowerCase(Locale.ROOT);
        if (f.equals("nexttoken")) {
            return false;
        }
        for (String s : SECRET_NAMES) {
            if (f.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static void scrub(JsonNode node) {
        if (node instanceof ObjectNode object) {
            var names = object.fieldNames();
            java.util.List<String> fields = new java.util.ArrayList<>();
            names.forEachRemaining(fields::add);
            for (String field : fields) {
                if (isSecret(field)) {
                    object.set(field, TextNode.valueOf(REDACTED));
                } else {
                    scrub(object.get(field));
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(Redaction::scrub);
        }
    }
}
