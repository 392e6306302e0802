package io.rampart.analyzer.internal;

import io.rampart.policy.internal.ContextKey;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Resource or condition value into literal text, escapes and variables with exactly the policy engine's
 * rules (its Template): {@code ${name}} with a non-empty name is a variable, {@code ${*}}, {@code ${?}},
 * {@code ${$}} are the plain characters, an unterminated {@code ${} is literal, and with the legacy policy version
 * everything is literal.
 */
final class Templates {
    private Templates() {
    }

    /** Parts in order: String (literal glob text), Character (escaped plain character) or ContextKey (variable). */
    static List<Object> parts(String text, boolean variables) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int close;
            if (variables && text.startsWith("${", i) && (close = text.indexOf('}', i + 2)) > i + 2) {
                String name = text.substring(i + 2, close);
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                if (name.equals("*") || name.equals("?") || name.equals("$")) {
                    parts.add(name.charAt(0));
                } else {
                    parts.add(ContextKey.parse(name));
                }
                i = close + 1;
            } else {
                literal.append(text.charAt(i++));
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return parts;
    }
}
