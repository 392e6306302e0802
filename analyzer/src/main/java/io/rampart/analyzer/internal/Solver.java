package io.rampart.analyzer.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Decides whether a {@link Formula} accepts any request string and, if so, finds a shortest one.
 *
 * <p>Each pattern is an NFA whose states are its token positions; the solver explores the product of their
 * subset constructions lazily, breadth first, over a finite {@link Alphabet}. A product state records, per
 * pattern, the positions reachable on the word read so far, so the formula's value on that word is known exactly;
 * complement and intersection cost nothing extra. The first accepting state found is a shortest witness. The
 * search is bounded by a state budget: running out is reported, never turned into an answer.
 */
public final class Solver {
    /** What the solver found. */
    public sealed interface Result {
        /** No request string satisfies the formula. */
        record Empty() implements Result {
        }

        /** A shortest request satisfying the formula. */
        record Witness(String action, String resource) implements Result {
        }

        /** The state budget ran out before the question was decided. */
        record Exhausted(int states) implements Result {
        }
    }

    private final int maxStates;

    /** A solver that gives up (with {@link Result.Exhausted}) after exploring {@code maxStates} product states. */
    public Solver(int maxStates) {
        if (maxStates < 1) {
            throw new IllegalArgumentException("maxStates must be positive, got " + maxStates);
        }
        this.maxStates = maxStates;
    }

    /** Finds a shortest request string accepted by the formula, or proves there is none. */
    public Result solve(Formula formula) {
        if (formula instanceof Formula.Const c && !c.value()) {
            return new Result.Empty();
        }
        Product product = new Product(formula);
        Set<Integer> mentioned = new HashSet<>();
        product.patterns.forEach(p -> p.collectCharacters(mentioned));
        Alphabet alphabet = new Alphabet(mentioned);

        Map<Key, Integer> seen = new HashMap<>();
        List<long[]> states = new ArrayList<>();
        List<int[]> parents = new ArrayList<>(); // {parent state, symbol}
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        long[] start = product.start();
        seen.put(new Key(start), 0);
        states.add(start);
        parents.add(new int[] {-1, 0});
        queue.add(0);
        while (!queue.isEmpty()) {
            int id = queue.poll();
            long[] state = states.get(id);
            if (product.accepting(state)) {
                return witness(id, states, parents, alphabet);
            }
            if (product.hopeless(state)) {
                continue; // no extension of this word can satisfy the formula
            }
            for (int symbol : alphabet.symbols) {
                long[] next = product.step(state, symbol);
                Key key = new Key(next);
                if (seen.containsKey(key)) {
                    continue;
                }
                if (states.size() >= maxStates) {
                    return new Result.Exhausted(states.size());
                }
                seen.put(key, states.size());
                states.add(next);
                parents.add(new int[] {id, symbol});
                queue.add(states.size() - 1);
            }
        }
        return new Result.Empty();
    }

    /** True when the concrete request is in the formula's language (used to cross-check against the evaluator). */
    public static boolean accepts(Formula formula, String action, String resource) {
        Product product = new Product(formula);
        long[] state = product.start();
        for (int i = 0; i < action.length(); i++) {
            // The engine folds the request's action to lower case character by character; so does this.
            state = product.step(state, Character.toLowerCase(action.charAt(i)));
        }
        state = product.step(state, Pattern.SEP);
        for (int i = 0; i < resource.length(); i++) {
            state = product.step(state, resource.charAt(i));
        }
        return product.accepting(state);
    }

    private static Result witness(int id, List<long[]> states, List<int[]> parents, Alphabet alphabet) {
        StringBuilder reversed = new StringBuilder();
        int at = id;
        while (parents.get(at)[0] >= 0) {
            int symbol = parents.get(at)[1];
            reversed.append(symbol == Pattern.SEP ? '\u0000' : symbol == Alphabet.OTHER ? alphabet.standIn : (char) symbol);
            at = parents.get(at)[0];
        }
        String word = reversed.reverse().toString();
        int sep = word.indexOf('\u0000');
        return new Result.Witness(word.substring(0, sep), word.substring(sep + 1));
    }

    /** The lazily explored product automaton of a formula's patterns. */
    private static final class Product {
        static final int NEVER = 0;
        static final int ALWAYS = 1;
        static final int MAYBE = 2;
        static final int END = Integer.MIN_VALUE;
        final List<Pattern> patterns;
        final int[] offsets;
        final int words;
        final Predicate<long[]> value;
        final ToIntFunction<long[]> outlook;
        /** Per pattern and position: the rest is one or more STARs, so every continuation (no separator) is accepted. */
        final boolean[][] acceptsAnyRest;
        /** Per global position: its token ({@link #END} for a pattern's end position) and whether it repeats. */
        final int[] tokenAt;
        final boolean[] repeatsAt;

        Product(Formula formula) {
            Map<Pattern, Integer> index = new LinkedHashMap<>();
            collect(formula, index);
            patterns = List.copyOf(index.keySet());
            offsets = new int[patterns.size() + 1];
            for (int i = 0; i < patterns.size(); i++) {
                offsets[i + 1] = offsets[i] + patterns.get(i).length() + 1;
            }
            words = Math.max(1, (offsets[patterns.size()] + 63) / 64);
            value = compile(formula, index);
            acceptsAnyRest = new boolean[patterns.size()][];
            for (int i = 0; i < patterns.size(); i++) {
                Pattern p = patterns.get(i);
                // The end position alone accepts only the empty continuation, so it never counts here.
                boolean[] rest = new boolean[p.length() + 1];
                for (int pos = p.length() - 1; pos >= 0; pos--) {
                    rest[pos] = p.token(pos) == Pattern.STAR && (pos == p.length() - 1 || rest[pos + 1]);
                }
                acceptsAnyRest[i] = rest;
            }
            outlook = outlook(formula, index);
            int bits = offsets[patterns.size()];
            tokenAt = new int[Math.max(bits, 1) + 64];
            repeatsAt = new boolean[Math.max(bits, 1) + 64];
            Arrays.fill(tokenAt, END);
            for (int i = 0; i < patterns.size(); i++) {
                Pattern p = patterns.get(i);
                for (int pos = 0; pos < p.length(); pos++) {
                    tokenAt[offsets[i] + pos] = p.token(pos);
                    repeatsAt[offsets[i] + pos] = p.repeats(pos);
                }
            }
        }

        /**
         * Three-valued look ahead, for pruning: {@link #NEVER} when no continuation of the word can be accepted,
         * {@link #ALWAYS} when every continuation is, else {@link #MAYBE}. A pattern with no live position can never
         * match; one with a live position can (every glob position reaches the end on some input, and words have
         * one separator, so a position before the separator token is dropped when it is read); one at a position
         * followed only by {@code *} matches every continuation.
         */
        private ToIntFunction<long[]> outlook(Formula f, Map<Pattern, Integer> index) {
            return switch (f) {
                case Formula.Const c -> s -> c.value() ? ALWAYS : NEVER;
                case Formula.Atom a -> {
                    int i = index.get(a.pattern());
                    int base = offsets[i];
                    int length = a.pattern().length();
                    boolean[] rest = acceptsAnyRest[i];
                    yield s -> {
                        boolean live = false;
                        for (int pos = 0; pos <= length; pos++) {
                            if (bit(s, base + pos)) {
                                if (rest[pos]) {
                                    return ALWAYS;
                                }
                                live = true;
                            }
                        }
                        return live ? MAYBE : NEVER;
                    };
                }
                case Formula.Not n -> {
                    ToIntFunction<long[]> inner = outlook(n.operand(), index);
                    yield s -> {
                        int v = inner.applyAsInt(s);
                        return v == MAYBE ? MAYBE : v == ALWAYS ? NEVER : ALWAYS;
                    };
                }
                case Formula.And a -> {
                    List<ToIntFunction<long[]>> parts = a.operands().stream().map(o -> outlook(o, index)).toList();
                    yield s -> {
                        int result = ALWAYS;
                        for (ToIntFunction<long[]> p : parts) {
                            int v = p.applyAsInt(s);
                            if (v == NEVER) {
                                return NEVER;
                            }
                            if (v == MAYBE) {
                                result = MAYBE;
                            }
                        }
                        return result;
                    };
                }
                case Formula.Or o -> {
                    List<ToIntFunction<long[]>> parts = o.operands().stream().map(x -> outlook(x, index)).toList();
                    yield s -> {
                        int result = NEVER;
                        for (ToIntFunction<long[]> p : parts) {
                            int v = p.applyAsInt(s);
                            if (v == ALWAYS) {
                                return ALWAYS;
                            }
                            if (v == MAYBE) {
                                result = MAYBE;
                            }
                        }
                        return result;
                    };
                }
            };
        }

        boolean hopeless(long[] state) {
            return outlook.applyAsInt(state) == NEVER;
        }

        private static void collect(Formula f, Map<Pattern, Integer> index) {
            switch (f) {
                case Formula.Const c -> {
                }
                case Formula.Atom a -> index.putIfAbsent(a.pattern(), index.size());
                case Formula.Not n -> collect(n.operand(), index);
                case Formula.And a -> a.operands().forEach(o -> collect(o, index));
                case Formula.Or o -> o.operands().forEach(x -> collect(x, index));
            }
        }

        private Predicate<long[]> compile(Formula f, Map<Pattern, Integer> index) {
            return switch (f) {
                case Formula.Const c -> s -> c.value();
                case Formula.Atom a -> {
                    int i = index.get(a.pattern());
                    int finalBit = offsets[i] + a.pattern().length();
                    yield s -> bit(s, finalBit);
                }
                case Formula.Not n -> compile(n.operand(), index).negate();
                case Formula.And a -> {
                    List<Predicate<long[]>> parts = a.operands().stream().map(o -> compile(o, index)).toList();
                    yield s -> {
                        for (Predicate<long[]> p : parts) {
                            if (!p.test(s)) {
                                return false;
                            }
                        }
                        return true;
                    };
                }
                case Formula.Or o -> {
                    List<Predicate<long[]>> parts = o.operands().stream().map(x -> compile(x, index)).toList();
                    yield s -> {
                        for (Predicate<long[]> p : parts) {
                            if (p.test(s)) {
                                return true;
                            }
                        }
                        return false;
                    };
                }
            };
        }

        long[] start() {
            long[] s = new long[words];
            for (int i = 0; i < patterns.size(); i++) {
                set(s, offsets[i]);
            }
            close(s);
            return s;
        }

        boolean accepting(long[] state) {
            return value.test(state);
        }

        /** The successor state: each live position advances (or stays, for a repeating token) on the symbol. */
        long[] step(long[] state, int symbol) {
            long[] next = new long[words];
            for (int w = 0; w < words; w++) {
                long live = state[w];
                while (live != 0) {
                    int b = (w << 6) + Long.numberOfTrailingZeros(live);
                    live &= live - 1;
                    int token = tokenAt[b];
                    if (token != END && Pattern.accepts(token, symbol)) {
                        set(next, repeatsAt[b] ? b : b + 1);
                    }
                }
            }
            close(next);
            return next;
        }

        /**
         * Epsilon closure: a repeating token may match nothing, so its position also reaches the next one. Bits are
         * visited in increasing order, so a chain of repeating tokens closes in one pass.
         */
        private void close(long[] state) {
            for (int w = 0; w < words; w++) {
                long seen = 0;
                long live;
                while ((live = state[w] & ~seen) != 0) {
                    long lowest = live & -live;
                    seen |= lowest;
                    int b = (w << 6) + Long.numberOfTrailingZeros(lowest);
                    if (repeatsAt[b]) {
                        set(state, b + 1);
                    }
                }
            }
        }

        private static boolean bit(long[] s, int i) {
            return (s[i >>> 6] & (1L << i)) != 0;
        }

        private static void set(long[] s, int i) {
            s[i >>> 6] |= 1L << i;
        }
    }

    private record Key(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
