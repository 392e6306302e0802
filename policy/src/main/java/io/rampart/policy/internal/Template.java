package io.rampart.policy.internal;

import io.rampart.policy.Effect;

import java.util.ArrayList;
import java.util.List;

/**
 * A Resource or condition value with its policy variables located, compiled once per policy version.
 *
 * <p>Parts are literal text (in which {@code *} and {@code ?} are wildcards when the template is used as a
 * pattern), variables ({@code ${iot:ClientId}}) and AWS's escapes {@code ${*}}, {@code ${?}}, {@code ${$}}, which
 * stand for the plain character. An unterminated {@code ${} is literal text, as in IAM.
 */
public final class Template {
    private final String text;
    private final Object[] parts;       // String (literal text), ContextKey (variable) or Character (escape)
    private final int[] staticPattern;   // the whole pattern when there are no variables
    private final String staticValue;    // the whole value when there are no variables
    private final List<ContextKey> variables;
    /** The text every match must start with: the leading characters before the first variable or wildcard. */
    private final String literalPrefix;

    private Template(String text, Object[] parts, List<ContextKey> variables) {
        this.text = text;
        this.parts = parts;
        this.variables = List.copyOf(variables);
        this.literalPrefix = literalPrefix(parts);
        if (variables.isEmpty()) {
            StringBuilder value = new StringBuilder();
            int[] tokens = new int[text.length()];
            int length = 0;
            for (Object part : parts) {
                if (part instanceof String literal) {
                    int[] compiled = Glob.compile(literal);
                    System.arraycopy(compiled, 0, tokens, length, compiled.length);
                    length += compiled.length;
                    value.append(literal);
                } else {
                    char c = (Character) part;
                    tokens[length++] = c; // an escape ${*} is the plain character, never a wildcard
                    value.append(c);
                }
            }
            this.staticPattern = java.util.Arrays.copyOf(tokens, length);
            this.staticValue = value.toString();
        } else {
            this.staticPattern = null;
            this.staticValue = null;
        }
    }

    private static String literalPrefix(Object[] parts) {
        StringBuilder prefix = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Character escape) {
                prefix.append((char) escape);
            } else if (part instanceof String literal) {
                for (int i = 0; i < literal.length(); i++) {
                    char c = literal.charAt(i);
                    if (c == '*' || c == '?') {
                        return prefix.toString();
                    }
                    prefix.append(c);
                }
            } else {
                return prefix.toString();
            }
        }
        return prefix.toString();
    }

    /** Parses text; with {@code variables} false (policy Version 2008-10-17) everything is literal text. */
    public static Template parse(String text, boolean variables) {
        List<Object> parts = new ArrayList<>();
        List<ContextKey> keys = new ArrayList<>();
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
                    ContextKey key = ContextKey.parse(name);
                    parts.add(key);
                    keys.add(key);
                }
                i = close + 1;
            } else {
                literal.append(text.charAt(i++));
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new Template(text, parts.toArray(), keys);
    }

    public String text() {
        return text;
    }

    public List<ContextKey> variables() {
        return variables;
    }

    /** The value when the template has no variables (escapes resolved), else null. */
    public String literalValue() {
        return staticValue;
    }

    /** True when the pattern is exactly {@code *} (matches everything without work). */
    public boolean matchesEverything() {
        return staticPattern != null && staticPattern.length == 1 && staticPattern[0] == Glob.STAR;
    }

    /** True when {@code subject} matches this template used as a wildcard pattern; false if a variable fails. */
    boolean matches(String subject, RequestScope scope, Effect effect) {
        if (staticPattern != null) {
            return Glob.matches(staticPattern, subject);
        }
        if (!subject.startsWith(literalPrefix)) {
            return false; // cheap rejection before any variable is resolved
        }
        int[] tokens = scope.buffer(text.length());
        int at = 0;
        for (Object part : parts) {
            if (part instanceof String literal) {
                tokens = scope.buffer(at + literal.length());
                for (int c = 0; c < literal.length(); c++) {
                    char ch = literal.charAt(c);
                    tokens[at++] = ch == '*' ? Glob.STAR : ch == '?' ? Glob.ANY : ch;
                }
            } else if (part instanceof ContextKey key) {
                String value = scope.substitution(key, effect);
                if (value == null) {
                    return false;
                }
                // Substituted text is literal: a client id "*" must not become a wildcard.
                tokens = scope.buffer(at + value.length());
                for (int c = 0; c < value.length(); c++) {
                    tokens[at++] = value.charAt(c);
                }
            } else {
                tokens = scope.buffer(at + 1);
                tokens[at++] = (Character) part;
            }
        }
        return Glob.matches(tokens, at, subject);
    }

    /** The literal value with variables substituted, or null if a variable fails. */
    String value(RequestScope scope, Effect effect) {
        if (staticValue != null) {
            return staticValue;
        }
        StringBuilder value = new StringBuilder(text.length() + 16);
        for (Object part : parts) {
            if (part instanceof String literal) {
                value.append(literal);
            } else if (part instanceof ContextKey key) {
                String substituted = scope.substitution(key, effect);
                if (substituted == null) {
                    return null;
                }
                value.append(substituted);
            } else {
                value.append((char) (Character) part);
            }
        }
        return value.toString();
    }
}
