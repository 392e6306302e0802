package io.rampart.analyzer.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A word pattern over the analyzer's request strings {@code action SEP resource}: a sequence of tokens, each a
 * literal character or a character class with or without repetition. AWS policy globs compile to it ({@code *} is
 * {@link #STAR}, {@code ?} is {@link #ANY}); the MQTT-level classes exist for the reference sets of the isolation
 * checks. No class ever matches the separator, so {@code *} in an action never reaches into the resource.
 *
 * <p>Immutable; equal patterns share one automaton in the solver.
 */
public final class Pattern {
    /** Any run of characters (AWS {@code *}). */
    public static final int STAR = -1;
    /** Exactly one character (AWS {@code ?}). */
    public static final int ANY = -2;
    /** The separator between action and resource. */
    public static final int SEP = -3;
    /** Any run of characters that are their own lower case (an action after AWS's case folding). */
    public static final int LOWER_STAR = -4;
    /** Any run of characters other than {@code / + #} (part of one MQTT topic level, no wildcard). */
    public static final int LEVEL_STAR = -5;
    /** One character other than {@code / + #}. */
    public static final int LEVEL_ANY = -6;

    private final int[] tokens;
    /** For a pattern on the action part only ({@link #action}): the action glob, else null. */
    private final Pattern actionGlob;

    private Pattern(int[] tokens, Pattern actionGlob) {
        this.tokens = tokens;
        this.actionGlob = actionGlob;
    }

    /** True when this pattern constrains only the action part of a request string. */
    boolean onActionOnly() {
        return actionGlob != null;
    }

    /** For an action-only pattern: whether the (lower-case) action matches it. */
    boolean matchesAction(String lowerCaseAction) {
        Pattern glob = actionGlob;
        boolean[] at = new boolean[glob.length() + 1];
        at[0] = true;
        glob.close(at);
        for (int i = 0; i < lowerCaseAction.length(); i++) {
            boolean[] next = new boolean[glob.length() + 1];
            for (int pos = 0; pos < glob.length(); pos++) {
                if (at[pos] && accepts(glob.token(pos), lowerCaseAction.charAt(i))) {
                    next[glob.repeats(pos) ? pos : pos + 1] = true;
                }
            }
            glob.close(next);
            at = next;
        }
        return at[glob.length()];
    }

    private void close(boolean[] at) {
        for (int pos = 0; pos < tokens.length; pos++) {
            if (at[pos] && repeats(pos)) {
                at[pos + 1] = true;
            }
        }
    }

    public int length() {
        return tokens.length;
    }

    int token(int position) {
        return tokens[position];
    }

    /** True when the token at {@code position} repeats (may match zero or more characters). */
    boolean repeats(int position) {
        int t = tokens[position];
        return t == STAR || t == LOWER_STAR || t == LEVEL_STAR;
    }

    /** Whether the token (not the separator token) accepts the symbol; symbols are chars, {@link #SEP} or other. */
    static boolean accepts(int token, int symbol) {
        if (token >= 0) {
            return token == symbol;
        }
        if (token == SEP) {
            return symbol == SEP;
        }
        if (symbol == SEP) {
            return false;
        }
        return switch (token) {
            case STAR, ANY -> true;
            case LOWER_STAR -> symbol == Alphabet.OTHER || Character.toLowerCase((char) symbol) == symbol;
            case LEVEL_STAR, LEVEL_ANY -> symbol == Alphabet.OTHER || (symbol != '/' && symbol != '+' && symbol != '#');
            default -> throw new IllegalStateException("unknown token " + token);
        };
    }

    /** The literal characters this pattern mentions (they must be in the solver's alphabet). */
    void collectCharacters(java.util.Set<Integer> into) {
        for (int t : tokens) {
            if (t >= 0) {
                into.add(t);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int t : tokens) {
            b.append(switch (t) {
                case STAR -> "*";
                case ANY -> "?";
                case SEP -> " | ";
                case LOWER_STAR -> "<lower*>";
                case LEVEL_STAR -> "<level*>";
                case LEVEL_ANY -> "<level?>";
                default -> String.valueOf((char) t);
            });
        }
        return b.toString();
    }

    /** Builds a pattern token by token. */
    public static final class Builder {
        private final List<Integer> tokens = new ArrayList<>();

        /** Literal text: every character stands for itself. */
        public Builder literal(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                tokens.add((int) text.charAt(i));
            }
            return this;
        }

        /** AWS glob text: {@code *} and {@code ?} are wildcards, everything else literal. */
        public Builder glob(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                tokens.add(c == '*' ? STAR : c == '?' ? ANY : (int) c);
            }
            return this;
        }

        public Builder token(int token) {
            tokens.add(token);
            return this;
        }

        /** Appends every token of another pattern. */
        public Builder tokens(Pattern other) {
            for (int t : other.tokens) {
                tokens.add(t);
            }
            return this;
        }

        public Pattern build() {
            return new Pattern(tokens.stream().mapToInt(Integer::intValue).toArray(), null);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A pattern on the action part only: the action glob, then any resource. */
    public static Pattern action(Pattern actionGlob) {
        return new Pattern(builder().tokens(actionGlob).token(SEP).token(STAR).build().tokens, actionGlob);
    }

    /** A pattern on the resource part only: any action, then the resource pattern. */
    public static Pattern resource(Pattern resourcePattern) {
        return builder().token(STAR).token(SEP).tokens(resourcePattern).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pattern other && Arrays.equals(tokens, other.tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens);
    }
}
