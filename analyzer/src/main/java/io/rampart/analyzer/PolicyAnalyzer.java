package io.rampart.analyzer;

import io.rampart.analyzer.internal.Formula;
import io.rampart.analyzer.internal.KnownAction;
import io.rampart.analyzer.internal.Namespaces;
import io.rampart.analyzer.internal.Pattern;
import io.rampart.analyzer.internal.PolicyCompiler;
import io.rampart.analyzer.internal.Requesters;
import io.rampart.analyzer.internal.Requesters.Requester;
import io.rampart.analyzer.internal.Solver;
import io.rampart.common.AwsScope;
import io.rampart.common.RampartException;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Decides questions about AWS IoT policies exactly: each answer is a proof over every action and resource, or a
 * concrete request that the policy engine decides as the answer says.
 *
 * <p>For each requester the policies compile to a boolean combination of regular languages over the string
 * {@code action SEP resource}; a question is the emptiness of such a combination, decided by a breadth-first
 * search of the product automaton that returns a shortest witness (preferring known AWS IoT actions on a resource
 * of their type, in the assumed account). Stateless apart from its search budget; safe to share between threads.
 */
public final class PolicyAnalyzer {
    /** Product states one question may explore before it is reported unsupported. */
    public static final int DEFAULT_MAX_STATES = 200_000;

    private final Solver solver;

    public PolicyAnalyzer() {
        this(DEFAULT_MAX_STATES);
    }

    /** An analyzer whose searches stop (reporting {@link Verdict.Unsupported}) after {@code maxStates} states. */
    public PolicyAnalyzer(int maxStates) {
        this.solver = new Solver(maxStates);
    }

    /** Is every request the policies allow also allowed by the reference (P ⊆ R)? */
    public Verdict isSubsetOf(List<NamedPolicy> policies, List<NamedPolicy> reference, Assumptions assumptions) {
        return search(assumptions, List.of(policies, reference), (requester, allowed) ->
                        Formula.and(allowed.get(0), Formula.not(allowed.get(1))),
                "every request the policies allow is allowed by the reference",
                "allowed by the policies but not by the reference");
    }

    /** Do the two policy sets allow exactly the same requests? */
    public Verdict isEquivalent(List<NamedPolicy> first, List<NamedPolicy> second, Assumptions assumptions) {
        Verdict forward = isSubsetOf(first, second, assumptions);
        if (!(forward instanceof Verdict.Proved)) {
            return forward;
        }
        return search(assumptions, List.of(second, first), (requester, allowed) ->
                        Formula.and(allowed.get(0), Formula.not(allowed.get(1))),
                "both policy sets allow exactly the same requests",
                "allowed by the second policy set but not by the first");
    }

    /** What the new version allows that the old did not, and the reverse: one witness per action. */
    public PolicyDiff diff(List<NamedPolicy> oldPolicies, List<NamedPolicy> newPolicies, Assumptions assumptions) {
        List<Requester> requesters = requesters(assumptions, List.of(oldPolicies, newPolicies));
        PolicyCompiler compiler = compiler(assumptions);
        Map<String, Verdict.Counterexample> added = new LinkedHashMap<>();
        Map<String, Verdict.Counterexample> removed = new LinkedHashMap<>();
        Set<String> unsupported = new LinkedHashSet<>();
        for (Requester requester : requesters) {
            PolicyCompiler.Compiled old = compiler.compile(oldPolicies, requester.context());
            PolicyCompiler.Compiled neu = compiler.compile(newPolicies, requester.context());
            unsupported.addAll(old.unsupported());
            unsupported.addAll(neu.unsupported());
            if (!unsupported.isEmpty()) {
                break;
            }
            perAction(Formula.and(neu.allowed(), Formula.not(old.allowed())), requester, assumptions.scope(), added,
                    "allowed by the new version, not by the old", unsupported);
            perAction(Formula.and(old.allowed(), Formula.not(neu.allowed())), requester, assumptions.scope(), removed,
                    "allowed by the old version, not by the new", unsupported);
        }
        return new PolicyDiff(List.copyOf(added.values()), List.copyOf(removed.values()), List.copyOf(unsupported));
    }

    private void perAction(Formula difference, Requester requester, AwsScope scope,
                           Map<String, Verdict.Counterexample> found, String what, Set<String> unsupported) {
        Solver.Result any = solver.solve(difference);
        if (any instanceof Solver.Result.Exhausted e) {
            unsupported.add(exhausted(e, requester));
            return;
        }
        if (any instanceof Solver.Result.Empty) {
            return;
        }
        List<Formula> known = new ArrayList<>();
        for (KnownAction action : KnownAction.ALL) {
            known.add(action.formula());
            if (found.containsKey(action.name())) {
                continue;
            }
            Solver.Result result = readable(Formula.and(difference, action.formula()), scope);
            if (result instanceof Solver.Result.Witness w) {
                found.put(action.name(), counterexample(w, requester, what));
            } else if (result instanceof Solver.Result.Exhausted e) {
                unsupported.add(exhausted(e, requester));
            }
        }
        Solver.Result other = solver.solve(Formula.and(difference, Formula.not(Formula.or(known))));
        if (other instanceof Solver.Result.Witness w) {
            found.putIfAbsent("(other actions)", counterexample(w, requester, what));
        } else if (other instanceof Solver.Result.Exhausted e) {
            unsupported.add(exhausted(e, requester));
        }
    }

    /**
     * Is some AWS IoT action allowed on every resource of its type in the account (the {@code iot:*} on {@code *}
     * kind of grant)? Proved means no such action; a counterexample names one allowed action on such a resource.
     */
    public Verdict checkOverlyPermissive(List<NamedPolicy> policies, Assumptions assumptions) {
        List<Requester> requesters = requesters(assumptions, List.of(policies));
        PolicyCompiler compiler = compiler(assumptions);
        String prefix = assumptions.scope().arnPrefix();
        for (Requester requester : requesters) {
            PolicyCompiler.Compiled compiled = compiler.compile(policies, requester.context());
            if (!compiled.unsupported().isEmpty()) {
                return new Verdict.Unsupported(compiled.unsupported());
            }
            List<String> universal = new ArrayList<>();
            for (KnownAction action : KnownAction.ALL) {
                Formula everything = Formula.and(PolicyCompiler.wellFormed(), action.formula(),
                        Formula.atom(Pattern.resource(Pattern.builder()
                                .literal(prefix + action.resourceType() + "/").token(Pattern.STAR).build())));
                Solver.Result missing = solver.solve(Formula.and(everything, Formula.not(compiled.allowed())));
                if (missing instanceof Solver.Result.Exhausted e) {
                    return new Verdict.Unsupported(List.of(exhausted(e, requester)));
                }
                if (missing instanceof Solver.Result.Empty) {
                    universal.add(action.name());
                }
            }
            if (!universal.isEmpty()) {
                KnownAction first = KnownAction.ALL.stream().filter(a -> a.name().equals(universal.get(0)))
                        .findFirst().orElseThrow();
                AuthorizationRequest request = new AuthorizationRequest(first.name(),
                        assumptions.scope().arn(first.resourceType(), "any-" + first.resourceType()),
                        requester.context());
                return new Verdict.Counterexample(request, "allowed on every " + first.resourceType()
                        + " of the account: " + String.join(", ", universal) + " (" + requester.description() + ")");
            }
        }
        return new Verdict.Proved("no AWS IoT action is allowed on every resource of its type",
                requesters.stream().map(Requester::description).toList());
    }

    /** Decides each {@link IsolationCheck} for a device confined to the namespace of the spec. */
    public IsolationReport checkDeviceIsolation(List<NamedPolicy> policies, IsolationSpec spec,
                                                Assumptions assumptions) {
        Objects.requireNonNull(spec, "spec");
        Namespaces namespaces = new Namespaces(assumptions.scope(), spec.topicPrefix());
        Map<IsolationCheck, Verdict> verdicts = new EnumMap<>(IsolationCheck.class);
        for (IsolationCheck check : IsolationCheck.values()) {
            BiFunction<String, Formula, Formula> question = switch (check) {
                case CONNECT_AS_OTHER_CLIENT -> (x, allowed) -> Formula.and(allowed, namespaces.connectAsOther(x));
                case PUBLISH_OUTSIDE_NAMESPACE -> (x, allowed) -> Formula.and(allowed, namespaces.publishOutside(x));
                case RECEIVE_OUTSIDE_NAMESPACE -> (x, allowed) -> Formula.and(allowed, namespaces.receiveOutside(x));
                case SUBSCRIBE_OUTSIDE_NAMESPACE ->
                        (x, allowed) -> Formula.and(allowed, namespaces.subscribeOutside(x));
                case OTHER_THING_SHADOW -> (x, allowed) -> Formula.and(allowed,
                        namespaces.otherThing(x, "shadow", KnownAction.SHADOW_ACTIONS));
                case OTHER_THING_JOBS -> (x, allowed) -> Formula.and(allowed,
                        namespaces.otherThing(x, "jobs", KnownAction.JOB_ACTIONS));
                case ROOT_WILDCARD_SUBSCRIBE -> (x, allowed) -> Formula.and(allowed, namespaces.rootWildcardSubscribe());
            };
            verdicts.put(check, search(assumptions, List.of(policies), (requester, allowed) -> {
                String clientId = requester.context().clientId().orElseThrow(() -> RampartException.invalidRequest(
                        "device isolation needs a requester with a client id"));
                return question.apply(clientId, allowed.get(0));
            }, "the device cannot " + describe(check), "a device request breaking " + check));
        }
        return new IsolationReport(verdicts);
    }

    private static String describe(IsolationCheck check) {
        return switch (check) {
            case CONNECT_AS_OTHER_CLIENT -> "connect with another client id";
            case PUBLISH_OUTSIDE_NAMESPACE -> "publish outside its namespace";
            case RECEIVE_OUTSIDE_NAMESPACE -> "receive outside its namespace";
            case SUBSCRIBE_OUTSIDE_NAMESPACE -> "subscribe to a filter reaching outside its namespace";
            case OTHER_THING_SHADOW -> "touch another thing's shadow";
            case OTHER_THING_JOBS -> "touch another thing's jobs";
            case ROOT_WILDCARD_SUBSCRIBE -> "subscribe to # on the root";
        };
    }

    /** Compiles every policy set per requester and looks for a request satisfying the question. */
    private Verdict search(Assumptions assumptions, List<List<NamedPolicy>> sets,
                           BiFunction<Requester, List<Formula>, Formula> question, String claim, String what) {
        List<Requester> requesters = requesters(assumptions, sets);
        PolicyCompiler compiler = compiler(assumptions);
        for (Requester requester : requesters) {
            List<Formula> allowed = new ArrayList<>();
            for (List<NamedPolicy> set : sets) {
                PolicyCompiler.Compiled compiled = compiler.compile(set, requester.context());
                if (!compiled.unsupported().isEmpty()) {
                    return new Verdict.Unsupported(compiled.unsupported());
                }
                allowed.add(compiled.allowed());
            }
            Solver.Result result = readable(question.apply(requester, allowed), assumptions.scope());
            switch (result) {
                case Solver.Result.Witness w -> {
                    return counterexample(w, requester, what);
                }
                case Solver.Result.Exhausted e -> {
                    return new Verdict.Unsupported(List.of(exhausted(e, requester)));
                }
                case Solver.Result.Empty empty -> {
                }
            }
        }
        return new Verdict.Proved(claim, requesters.stream().map(Requester::description).toList());
    }

    /**
     * A shortest witness, preferring a known action on a resource of its type in the account, then any known
     * action, then anything.
     */
    private Solver.Result readable(Formula formula, AwsScope scope) {
        Solver.Result any = solver.solve(formula);
        if (!(any instanceof Solver.Result.Witness)) {
            return any;
        }
        List<Formula> typed = new ArrayList<>();
        List<Formula> known = new ArrayList<>();
        for (KnownAction action : KnownAction.ALL) {
            typed.add(Formula.and(action.formula(), Formula.atom(Pattern.resource(Pattern.builder()
                    .literal(scope.arnPrefix() + action.resourceType() + "/").token(Pattern.STAR).build()))));
            known.add(action.formula());
        }
        for (Formula preference : List.of(Formula.or(typed), Formula.or(known))) {
            Solver.Result preferred = solver.solve(Formula.and(formula, preference));
            if (preferred instanceof Solver.Result.Witness) {
                return preferred;
            }
        }
        return any;
    }

    private static Verdict.Counterexample counterexample(Solver.Result.Witness witness, Requester requester,
                                                         String what) {
        AuthorizationRequest request = new AuthorizationRequest(KnownAction.canonical(witness.action()),
                witness.resource(), requester.context());
        return new Verdict.Counterexample(request, request.action() + " on " + request.resource() + " is " + what
                + " (" + requester.description() + ")");
    }

    private static String exhausted(Solver.Result.Exhausted e, Requester requester) {
        return "the search exceeded " + e.states() + " automaton states (" + requester.description()
                + "); simplify the policies or raise the analyzer's state budget";
    }

    private static List<Requester> requesters(Assumptions assumptions, List<List<NamedPolicy>> sets) {
        return assumptions.requester().map(Requesters::exactly).orElseGet(() -> Requesters.anyDevice(sets));
    }

    private static PolicyCompiler compiler(Assumptions assumptions) {
        return new PolicyCompiler(assumptions.scope(), assumptions.mode(), assumptions.requester().isEmpty());
    }
}
