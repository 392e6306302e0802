package io.rampart.policy.internal;

import io.rampart.policy.Effect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Resource or condition value with its policy variables located, compiled once per policy version.
 *
 * <p>Parts are literal text (in which {@code *} and {@code ?} are wildcards when the template is used as a
 * pattern), variables ({@code ${iot:ClientId}}) and AWS's escapes {@code ${*}}, {@code ${?}}, {@code ${$}}, which
 * stand for the plain character. An unterminated {@code ${} is literal text, as in IAM.
 *
 * <p>Matching walks the parts left to right, comparing plain text and substituted values directly with the
 * subject; once only variable-free parts remain, their glob (compiled here, once) finishes the match. Only a
 * wildcard placed before a variable needs a per-request token buffer. Immutable.
 */
public final class Template {
    private final String text;
    private final Object[] parts;       // String (literal text), ContextKey (variable) or Character (escape)
    private final boolean[] wildcard;   // per part: a literal containing * or ?
    private final int[][] staticTails;  // per part index p: the compiled parts p..end when none is a variable
    private final String staticValue;   // the whole value when there are no variables
    private final List<ContextKey> variables;

    private Template(String text, Object[] parts, List<ContextKey> variables) {
        this.text = text;
        this.parts = parts;
        this.variables = List.copyOf(variables);
        this.wildcard = new boolean[parts.length];
        for (int p = 0; p < parts.length; p++) {
            wildcard[p] = parts[p] instanceof String literal && (literal.indexOf('*') >= 0 || literal.indexOf('?') >= 0);
        }
        this.staticTails = new int[parts.length + 1][];
        staticTails[parts.length] = new int[0];
        for (int p = parts.length - 1; p >= 0 && !(parts[p] instanceof ContextKey); p--) {
            int[] head = parts[p] instanceof String literal
                    ? Glob.compile(literal)
                    : new int[] {(Character) parts[p]}; // an escape ${*} is the plain character, never a wildcard
            int[] tail = staticTails[p + 1];
            int[] joined = Arrays.copyOf(head, head.length + tail.length);
            System.arraycopy(tail, 0, joined, head.length, tail.length);
            staticTails[p] = joined;
        }
        if (variables.isEmpty()) {
            StringBuilder value = new StringBuilder();
            for (Object part : parts) {
                value.append(part instanceof String literal ? literal : String.valueOf((char) (Character) part));
            }
            this.staticValue = value.toString();
        } else {
            this.staticValue = null;
        }
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

    public List<ContextKey> variables() {
        return variables;
    }

    /** The value when the template has no variables (escapes resolved), else null. */
    public String literalValue() {
        return staticValue;
    }

    /** True when the pattern is exactly {@code *} (matches everything without work). */
    public boolean matchesEverything() {
        int[] all = staticTails[0];
        return all != null && all.length == 1 && all[0] == Glob.STAR;
    }

    /** True when {@code subject} matches this template used as a wildcard pattern; false if a variable fails. */
    boolean matches(String subject, RequestScope scope, Effect effect) {
        int at = 0;
        for (int p = 0; p < parts.length; p++) {
            if (staticTails[p] != null) {
                return Glob.matches(staticTails[p], staticTails[p].length, subject, at);
            }
            Object part = parts[p];
            if (wildcard[p]) {
                return matchesWithBuffer(p, subject, at, scope, effect);
            }
            String piece;
            if (part instanceof ContextKey key) {
                // Substituted text is compared literally: a client id "*" must not become a wildcard.
                piece = scope.substitution(key, effect);
                if (piece == null) {
                    return false;
                }
            } else if (part instanceof String literal) {
                piece = literal;
            } else {
                if (at >= subject.length() || subject.charAt(at) != (Character) part) {
                    return false;
                }
                at++;
                continue;
            }
            if (!subject.startsWith(piece, at)) {
                return false;
            }
            at += piece.length();
        }
        return at == subject.length();
    }

    /** The general case, a wildcard before a variable: tokens for parts {@code from..end}, values literal. */
    private boolean matchesWithBuffer(int from, String subject, int subjectStart, RequestScope scope, Effect effect) {
        int[] tokens = scope.buffer(text.length());
        int at = 0;
        for (int p = from; p < parts.length; p++) {
            Object part = parts[p];
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
                tokens = scope.buffer(at + value.length());
                for (int c = 0; c < value.length(); c++) {
                    tokens[at++] = value.charAt(c);
                }
            } else {
                tokens = scope.buffer(at + 1);
                tokens[at++] = (Character) part;
            }
        }
        return Glob.matches(tokens, at, subject, subjectStart);
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
