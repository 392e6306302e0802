package io.rampart.analyzer.internal;

import java.util.Set;
import java.util.TreeSet;

/**
 * The finite alphabet a question is decided over: every character some pattern mentions, the separator, and one
 * symbol {@link #OTHER} standing for all the characters no pattern mentions. Patterns cannot tell unmentioned
 * characters apart (they only meet them through wildcard classes, which treat them alike), so a language is empty
 * over this alphabet exactly when it is empty over all strings; {@code OTHER} becomes a concrete unmentioned
 * character in a witness.
 */
final class Alphabet {
    static final int OTHER = -100;
    /** Characters the isolation classes test for; always present so those classes are decided exactly. */
    private static final String ALWAYS = "/+#";
    /** Candidates for the concrete stand-in of OTHER: readable, and their own lower case (valid in actions). */
    private static final String STAND_INS = "xzqjkvwyubcdfghlmnoprsta0123456789_-";

    final int[] symbols;
    final char standIn;

    Alphabet(Set<Integer> mentioned) {
        Set<Integer> all = new TreeSet<>(mentioned);
        ALWAYS.chars().forEach(all::add);
        symbols = new int[all.size() + 2];
        int i = 0;
        for (int c : all) {
            symbols[i++] = c;
        }
        symbols[i++] = OTHER;
        symbols[i] = Pattern.SEP;
        this.standIn = pick(all);
    }

    private static char pick(Set<Integer> mentioned) {
        for (int i = 0; i < STAND_INS.length(); i++) {
            if (!mentioned.contains((int) STAND_INS.charAt(i))) {
                return STAND_INS.charAt(i);
            }
        }
        // Private-use characters are never mentioned by policies in practice, and are their own lower case.
        for (char c = '\uE000'; c < '\uF8FF'; c++) {
            if (!mentioned.contains((int) c)) {
                return c;
            }
        }
        throw new IllegalStateException("no unmentioned character left");
    }
}
