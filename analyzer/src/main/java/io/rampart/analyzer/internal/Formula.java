package io.rampart.analyzer.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A boolean combination of {@link Pattern}s: the set of request strings it accepts. The factories fold constants,
 * so a statement whose condition is false compiles to {@link #FALSE} and costs nothing in the solver.
 */
public sealed interface Formula {
    Formula TRUE = new Const(true);
    Formula FALSE = new Const(false);

    /** A constant: every string or none. */
    record Const(boolean value) implements Formula {
    }

    /** The strings a pattern matches. */
    record Atom(Pattern pattern) implements Formula {
    }

    /** The complement. */
    record Not(Formula operand) implements Formula {
    }

    /** The intersection. */
    record And(List<Formula> operands) implements Formula {
        public And {
            operands = List.copyOf(operands);
        }
    }

    /** The union. */
    record Or(List<Formula> operands) implements Formula {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    /**
     * The formula for requests with this action: every action-only pattern becomes a constant, so what remains
     * constrains the resource alone (and the solver need not explore actions).
     */
    static Formula forAction(Formula f, String action) {
        // The separator stays required: a complement must not be satisfied by a word that has no resource part.
        Formula separated = atom(Pattern.resource(Pattern.builder().token(Pattern.STAR).build()));
        return and(separated, fixAction(f, action.toLowerCase(java.util.Locale.ROOT)));
    }

    private static Formula fixAction(Formula f, String lower) {
        return switch (f) {
            case Const c -> c;
            case Atom a -> a.pattern().onActionOnly() ? (a.pattern().matchesAction(lower) ? TRUE : FALSE) : a;
            case Not n -> not(fixAction(n.operand(), lower));
            case And a -> and(a.operands().stream().map(o -> fixAction(o, lower)).toList());
            case Or o -> or(o.operands().stream().map(x -> fixAction(x, lower)).toList());
        };
    }

    static Formula atom(Pattern pattern) {
        return new Atom(pattern);
    }

    static Formula not(Formula f) {
        if (f instanceof Const c) {
            return c.value() ? FALSE : TRUE;
        }
        if (f instanceof Not n) {
            return n.operand();
        }
        return new Not(f);
    }

    static Formula and(Formula... operands) {
        return and(List.of(operands));
    }

    static Formula and(List<Formula> operands) {
        List<Formula> kept = new ArrayList<>();
        for (Formula f : operands) {
            if (f == FALSE || f.equals(FALSE)) {
                return FALSE;
            }
            if (!f.equals(TRUE)) {
                kept.add(f);
            }
        }
        return kept.isEmpty() ? TRUE : kept.size() == 1 ? kept.get(0) : new And(kept);
    }

    static Formula or(Formula... operands) {
        return or(List.of(operands));
    }

    static Formula or(List<Formula> operands) {
        List<Formula> kept = new ArrayList<>();
        for (Formula f : operands) {
            if (f.equals(TRUE)) {
                return TRUE;
            }
            if (!f.equals(FALSE)) {
                kept.add(f);
            }
        }
        return kept.isEmpty() ? FALSE : kept.size() == 1 ? kept.get(0) : new Or(kept);
    }
}
