package io.rampart.policy.internal;

/**
 * AWS policy wildcard matching: {@code *} matches any run of characters (also empty, also across {@code /}),
 * {@code ?} matches exactly one character, everything else matches itself. MQTT's {@code +} and {@code #} have
 * no special meaning here.
 *
 * <p>A pattern is an {@code int[]} of tokens: a character, or {@link #STAR} / {@link #ANY}. Characters that came
 * from a substituted variable or an escape ({@code ${*}}) are stored as plain characters, so they can never act
 * as wildcards. Matching is iterative with single-star backtracking: O(pattern x text) worst case, no recursion,
 * no regular expressions.
 */
public final class Glob {
    /** Token for {@code *}. */
    public static final int STAR = -1;
    /** Token for {@code ?}. */
    public static final int ANY = -2;

    private Glob() {
    }

    /** Compiles a pattern in which {@code *} and {@code ?} are wildcards. */
    public static int[] compile(CharSequence pattern) {
        int[] tokens = new int[pattern.length()];
        for (int i = 0; i < tokens.length; i++) {
            char c = pattern.charAt(i);
            tokens[i] = c == '*' ? STAR : c == '?' ? ANY : c;
        }
        return tokens;
    }

    /** True when the whole text matches the first {@code length} tokens of the pattern. */
    public static boolean matches(int[] pattern, int length, CharSequence text) {
        return matches(pattern, length, text, 0, false);
    }

    /** True when {@code text} from {@code textStart} to its end matches the first {@code length} tokens. */
    public static boolean matches(int[] pattern, int length, CharSequence text, int textStart) {
        return matches(pattern, length, text, textStart, false);
    }

    /**
     * Like {@link #matches(int[], CharSequence)} with the text lower-cased on the fly, for a pattern compiled from
     * lower-case text (actions are case-insensitive; this avoids a lower-cased copy per request).
     */
    public static boolean matchesIgnoreCase(int[] pattern, CharSequence text) {
        return matches(pattern, pattern.length, text, 0, true);
    }

    private static boolean matches(int[] pattern, int length, CharSequence text, int textStart,
                                   boolean lowerCaseText) {
        int p = 0;
        int t = textStart;
        int starP = -1;
        int starT = 0;
        int n = text.length();
        while (t < n) {
            if (p < length) {
                int token = pattern[p];
                if (token == STAR) {
                    starP = p++;
                    starT = t;
                    continue;
                }
                char c = text.charAt(t);
                if (token == ANY || token == (lowerCaseText ? Character.toLowerCase(c) : c)) {
                    p++;
                    t++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            // Let the last star absorb one more character and retry from just after it.
            p = starP + 1;
            t = ++starT;
        }
        while (p < length && pattern[p] == STAR) {
            p++;
        }
        return p == length;
    }

    /** True when the whole text matches the pattern. */
    public static boolean matches(int[] pattern, CharSequence text) {
        return matches(pattern, pattern.length, text);
    }
}
