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
import io.rampart.policy.Evaluation;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.policy.SubstitutionMode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Decides questions about AWS IoT policies exactly: each answer is a proof over every action and resource, or a
 * concrete request that the policy engine decides as the answer says.
 *
 * <p>For each requester the policies compile to a boolean combination of regular languages over the string
 * {@code action SEP resource}; a question is the emptiness of such a combination, decided by a breadth-first
 * search of the product automaton that returns a shortest witness (preferring known AWS IoT actions on a resource
 * of their type, in the assumed account). Questions are asked per action for the known AWS IoT actions (action
 * patterns then become constants and only resources are searched), and once more over all other actions together,
 * so actions are covered exactly too. Stateless apart from its search budget; safe to share between threads.
 */
public final class PolicyAnalyzer {
    /** Product states one question may explore before it is reported unsupported. */
    public static final int DEFAULT_MAX_STATES = 200_000;

    private static final List<String> KNOWN_NAMES = KnownAction.ALL.stream().map(KnownAction::name).toList();
    private static final Formula KNOWN_ACTIONS = Formula.or(KnownAction.ALL.stream().map(KnownAction::formula).toList());
    private static final List<String> TOPIC_ACTIONS =
            List.of("iot:Publish", "iot:RetainPublish", "iot:Receive", "iot:Subscribe");
    private static final String OTHER_ACTIONS = "(other actions)";

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
        return search(assumptions, List.of(policies, reference), null, (requester, allowed) ->
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
        return search(assumptions, List.of(second, first), null, (requester, allowed) ->
                        Formula.and(allowed.get(0), Formula.not(allowed.get(1))),
                "both policy sets allow exactly the same requests",
                "allowed by the second policy set but not by the first");
    }

    /** What the new version allows that the old did not, and the reverse: one witness per action. */
    public PolicyDiff diff(List<NamedPolicy> oldPolicies, List<NamedPolicy> newPolicies, Assumptions assumptions) {
        List<List<NamedPolicy>> sets = List.of(oldPolicies, newPolicies);
        Compilations compilations = new Compilations(assumptions, sets);
        Map<String, Verdict.Counterexample> added = new LinkedHashMap<>();
        Map<String, Verdict.Counterexample> removed = new LinkedHashMap<>();
        Set<String> unsupported = new LinkedHashSet<>();
        for (Requester requester : requesters(assumptions, sets)) {
            unsupported.addAll(compilations.unsupported(requester));
            if (!unsupported.isEmpty()) {
                break;
            }
            List<Formula> allowed = compilations.allowed(requester);
            perAction(Formula.and(allowed.get(1), Formula.not(allowed.get(0))), requester, assumptions.scope(),
                    compilations, added, "allowed by the new version, not by the old", unsupported);
            perAction(Formula.and(allowed.get(0), Formula.not(allowed.get(1))), requester, assumptions.scope(),
                    compilations, removed, "allowed by the old version, not by the new", unsupported);
        }
        return new PolicyDiff(List.copyOf(added.values()), List.copyOf(removed.values()), List.copyOf(unsupported));
    }

    private void perAction(Formula difference, Requester requester, AwsScope scope, Compilations compilations,
                           Map<String, Verdict.Counterexample> found, String what, Set<String> unsupported) {
        for (String action : KNOWN_NAMES) {
            if (!found.containsKey(action)) {
                record(readable(Formula.forAction(difference, action), action, scope, compilations), requester, action,
                        action,
                        found, what, unsupported);
            }
        }
        if (!found.containsKey(OTHER_ACTIONS)) {
            record(solver.solve(Formula.and(difference, Formula.not(KNOWN_ACTIONS))), requester, null, OTHER_ACTIONS,
                    found, what, unsupported);
        }
    }

    private static void record(Solver.Result result, Requester requester, String action, String key,
                               Map<String, Verdict.Counterexample> found, String what, Set<String> unsupported) {
        switch (verdict(result, requester, action, what)) {
            case Verdict.Counterexample c -> found.put(key, c);
            case Verdict.Unsupported u -> unsupported.addAll(u.constructs());
            case null -> {
            }
            case Verdict.Proved p -> throw new IllegalStateException("a single search never proves");
        }
    }

    /**
     * Is some AWS IoT action allowed on every resource of its type in the account (the {@code iot:*} on {@code *}
     * kind of grant)? Proved means no such action; a counterexample names one allowed action on such a resource.
     */
    public Verdict checkOverlyPermissive(List<NamedPolicy> policies, Assumptions assumptions) {
        List<Requester> requesters = requesters(assumptions, List.of(policies));
        Compilations compilations = new Compilations(assumptions, List.of(policies));
        String prefix = assumptions.scope().arnPrefix();
        for (Requester requester : requesters) {
            List<String> unsupported = compilations.unsupported(requester);
            if (!unsupported.isEmpty()) {
                return new Verdict.Unsupported(unsupported);
            }
            Formula allowed = compilations.allowed(requester).get(0);
            List<String> universal = new ArrayList<>();
            for (KnownAction action : KnownAction.ALL) {
                Formula everything = Formula.atom(Pattern.resource(Pattern.builder()
                        .literal(prefix + action.resourceType() + "/").token(Pattern.STAR).build()));
                Solver.Result missing = compilations.solved.computeIfAbsent(Formula.and(everything,
                        Formula.not(Formula.forAction(allowed, action.name()))), solver::solve);
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

    /**
     * Can a device reach a resource the policies grant another device through that device's identity? A request
     * counts when it is allowed for device X, allowed for a device Y with another client id (both with their thing
     * attached, or both without), and not allowed for an unrelated device: it is then neither X's own nor common to
     * all devices, e.g. {@code topic/devices/${iot:ClientId}*} lets client {@code q} publish under
     * {@code devices/qxq/}. Only for {@link Assumptions#anyDevice}; the same representative ids as the other questions.
     */
    public Verdict checkCrossDeviceAccess(List<NamedPolicy> policies, Assumptions assumptions) {
        if (assumptions.requester().isPresent()) {
            throw RampartException.invalidRequest("cross-device access is a question about any device; "
                    + "use Assumptions.anyDevice");
        }
        List<List<NamedPolicy>> sets = List.of(policies);
        List<Requester> requesters = requesters(assumptions, sets);
        List<Requester> outsiders = Requesters.outsiders(sets, assumptions.certificate());
        Compilations compilations = new Compilations(assumptions, sets);
        for (Requester outsider : outsiders) {
            List<String> unsupported = compilations.unsupported(outsider);
            if (!unsupported.isEmpty()) {
                return new Verdict.Unsupported(unsupported);
            }
        }
        for (Requester x : requesters) {
            List<String> unsupported = compilations.unsupported(x);
            if (!unsupported.isEmpty()) {
                return new Verdict.Unsupported(unsupported);
            }
            boolean attached = x.context().thing().isPresent();
            Requester outsider = outsiders.get(attached ? 0 : 1);
            // What X may do that an unrelated device may not: usually nothing but X's own resources.
            Formula own = Formula.and(compilations.allowed(x).get(0), Formula.not(compilations.allowed(outsider).get(0)));
            List<Requester> others = requesters.stream().filter(y -> y.context().thing().isPresent() == attached
                    && !y.context().clientId().equals(x.context().clientId())).toList();
            // One question per action over all the other devices at once; which of them shares it is read off after.
            Formula shared = Formula.and(own, Formula.or(others.stream()
                    .map(y -> compilations.allowed(y).get(0)).toList()));
            for (String action : KNOWN_NAMES) {
                if (compilations.solved.computeIfAbsent(Formula.forAction(own, action), solver::solve)
                        instanceof Solver.Result.Empty) {
                    continue;
                }
                Verdict found = crossDevice(readable(Formula.forAction(shared, action), action, assumptions.scope(),
                        compilations), x, action, others, outsider, compilations);
                if (found != null) {
                    return found;
                }
            }
            Verdict other = crossDevice(solver.solve(Formula.and(shared, Formula.not(KNOWN_ACTIONS))), x, null,
                    others, outsider, compilations);
            if (other != null) {
                return other;
            }
        }
        return new Verdict.Proved("no device can reach a resource granted to another device by its identity",
                requesters.stream().map(Requester::description).toList());
    }

    private static Verdict crossDevice(Solver.Result result, Requester x, String action, List<Requester> others,
                                       Requester outsider, Compilations compilations) {
        if (result instanceof Solver.Result.Witness w) {
            String sharer = others.stream()
                    .filter(y -> Solver.accepts(compilations.allowed(y).get(0), action == null ? w.action() : action,
                            w.resource()))
                    .map(Requester::description).findFirst().orElseThrow();
            return verdict(result, x, action, "also allowed for " + sharer + " and not for an "
                    + outsider.description());
        }
        return verdict(result, x, action, "");
    }

    /**
     * Looks for a request the policies allow inside a region that depends on the requester (FALSE for none): the
     * audit's "a Deny meant to cover this does not" questions.
     */
    Verdict findAllowed(List<NamedPolicy> policies, Assumptions assumptions,
                        BiFunction<Requester, Formula, Formula> region, String claim, String what) {
        return search(assumptions, List.of(policies), null,
                (requester, allowed) -> Formula.and(allowed.get(0), region.apply(requester, allowed.get(0))),
                claim, what);
    }

    /**
     * The engine's decision on one request, with the deciding statements, beside the analyzer's view of it. A request
     * without a time is evaluated at the clock's instant.
     */
    public PolicyExplanation explain(List<NamedPolicy> policies, AuthorizationRequest request, AwsScope scope,
                                     SubstitutionMode mode, Clock clock) {
        RequestContext c = request.context();
        Instant time = c.time().orElseGet(clock::instant);
        RequestContext timed = new RequestContext(c.clientId(), c.sourceIp(), Optional.of(time), c.thing(),
                c.certificate(), c.conditionKeys());
        AuthorizationRequest at = new AuthorizationRequest(request.action(), request.resource(), timed);
        Evaluation evaluation = new PolicyEngine(scope, Clock.fixed(time, ZoneOffset.UTC), mode).evaluateDetailed(policies, at);
        PolicyCompiler.Compiled compiled = new PolicyCompiler(scope, mode, false).compile(policies, timed);
        Optional<Boolean> analyzer = compiled.unsupported().isEmpty()
                ? Optional.of(Solver.accepts(compiled.allowed(), at.action(), at.resource())) : Optional.empty();
        return new PolicyExplanation(at, evaluation.decision(), evaluation.missingContextValues(), analyzer,
                compiled.unsupported());
    }

    /** {@link #isSubsetOf} for every way of connecting to the target: the first counterexample names which. */
    public Verdict isSubsetOf(EffectivePermissions target, List<NamedPolicy> reference, Assumptions assumptions) {
        return each(target, assumptions, (policies, a) -> isSubsetOf(policies, reference, a));
    }

    /** {@link #checkOverlyPermissive} for every way of connecting to the target. */
    public Verdict checkOverlyPermissive(EffectivePermissions target, Assumptions assumptions) {
        return each(target, assumptions, this::checkOverlyPermissive);
    }

    /** {@link #checkDeviceIsolation} for every way of connecting to the target, check by check. */
    public IsolationReport checkDeviceIsolation(EffectivePermissions target, IsolationSpec spec,
                                                Assumptions assumptions) {
        Map<EffectivePermissions.Connection, IsolationReport> reports = new LinkedHashMap<>();
        for (EffectivePermissions.Connection connection : target.connections()) {
            reports.put(connection, checkDeviceIsolation(connection.policies(), spec, connection.assumptions(assumptions)));
        }
        Map<IsolationCheck, Verdict> verdicts = new EnumMap<>(IsolationCheck.class);
        for (IsolationCheck check : IsolationCheck.values()) {
            Map<EffectivePermissions.Connection, Verdict> perConnection = new LinkedHashMap<>();
            reports.forEach((connection, report) -> perConnection.put(connection, report.verdict(check)));
            verdicts.put(check, combine(perConnection));
        }
        return new IsolationReport(verdicts);
    }

    private Verdict each(EffectivePermissions target, Assumptions assumptions,
                         BiFunction<List<NamedPolicy>, Assumptions, Verdict> question) {
        Map<EffectivePermissions.Connection, Verdict> verdicts = new LinkedHashMap<>();
        for (EffectivePermissions.Connection connection : target.connections()) {
            Verdict verdict = question.apply(connection.policies(), connection.assumptions(assumptions));
            verdicts.put(connection, verdict);
            if (verdict instanceof Verdict.Counterexample) {
                break;
            }
        }
        return combine(verdicts);
    }

    /** A counterexample of any connection refutes; else an unsupported one leaves it open; else all proved it. */
    private static Verdict combine(Map<EffectivePermissions.Connection, Verdict> verdicts) {
        List<String> unsupported = new ArrayList<>();
        List<String> requesters = new ArrayList<>();
        String claim = null;
        for (Map.Entry<EffectivePermissions.Connection, Verdict> entry : verdicts.entrySet()) {
            String where = entry.getKey().description();
            switch (entry.getValue()) {
                case Verdict.Counterexample c -> {
                    return new Verdict.Counterexample(c.request(), where + ": " + c.explanation());
                }
                case Verdict.Unsupported u -> u.constructs().forEach(construct -> unsupported.add(where + ": " + construct));
                case Verdict.Proved p -> {
                    claim = p.claim();
                    p.requesters().forEach(r -> requesters.add(where + ": " + r));
                }
            }
        }
        if (!unsupported.isEmpty()) {
            return new Verdict.Unsupported(unsupported);
        }
        return new Verdict.Proved(claim, requesters);
    }

    /** Decides each {@link IsolationCheck} for a device confined to the namespace of the spec. */
    public IsolationReport checkDeviceIsolation(List<NamedPolicy> policies, IsolationSpec spec,
                                                Assumptions assumptions) {
        Objects.requireNonNull(spec, "spec");
        Namespaces namespaces = new Namespaces(assumptions.scope(), spec.topicPrefix());
        List<List<NamedPolicy>> sets = List.of(policies);
        List<Requester> requesters = requesters(assumptions, sets);
        Compilations compilations = new Compilations(assumptions, sets);
        Map<IsolationCheck, Verdict> verdicts = new EnumMap<>(IsolationCheck.class);
        for (IsolationCheck check : IsolationCheck.values()) {
            List<String> actions = switch (check) {
                case CONNECT_AS_OTHER_CLIENT -> List.of("iot:Connect");
                case PUBLISH_OUTSIDE_NAMESPACE -> List.of("iot:Publish", "iot:RetainPublish");
                case RECEIVE_OUTSIDE_NAMESPACE -> List.of("iot:Receive");
                case SUBSCRIBE_OUTSIDE_NAMESPACE, ROOT_WILDCARD_SUBSCRIBE -> List.of("iot:Subscribe");
                case OTHER_THING_SHADOW -> concat(TOPIC_ACTIONS, KnownAction.SHADOW_ACTIONS);
                case OTHER_THING_JOBS -> concat(TOPIC_ACTIONS, KnownAction.JOB_ACTIONS);
            };
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
            verdicts.put(check, search(assumptions, requesters, compilations, actions, (requester, allowed) -> {
                String clientId = requester.context().clientId().orElseThrow(() -> RampartException.invalidRequest(
                        "device isolation needs a requester with a client id"));
                return question.apply(clientId, allowed.get(0));
            }, "the device cannot " + describe(check), "a device request breaking " + check));
        }
        return new IsolationReport(verdicts);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
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

    /** The compiled policy sets per requester, so the questions of one call compile each requester once. */
    private static final class Compilations {
        private final PolicyCompiler compiler;
        private final List<List<NamedPolicy>> sets;
        private final Map<Requester, List<PolicyCompiler.Compiled>> cache = new HashMap<>();
        /** Questions already decided in this call: fixing the action often gives several actions one formula. */
        private final Map<Formula, Solver.Result> solved = new HashMap<>();

        Compilations(Assumptions assumptions, List<List<NamedPolicy>> sets) {
            this.compiler = compiler(assumptions);
            this.sets = sets;
        }

        List<PolicyCompiler.Compiled> of(Requester requester) {
            return cache.computeIfAbsent(requester,
                    r -> sets.stream().map(set -> compiler.compile(set, r.context())).toList());
        }

        /** The constructs that kept the compilation for this requester from being exact. */
        List<String> unsupported(Requester requester) {
            return of(requester).stream().flatMap(c -> c.unsupported().stream()).distinct().toList();
        }

        List<Formula> allowed(Requester requester) {
            return of(requester).stream().map(PolicyCompiler.Compiled::allowed).toList();
        }
    }

    /**
     * Looks, requester by requester, for a request satisfying the question; {@code actions} limits the actions
     * considered (null: every action, the known ones first).
     */
    private Verdict search(Assumptions assumptions, List<Requester> requesters, Compilations compilations,
                           List<String> actions, BiFunction<Requester, List<Formula>, Formula> question,
                           String claim, String what) {
        for (Requester requester : requesters) {
            List<String> unsupported = compilations.unsupported(requester);
            if (!unsupported.isEmpty()) {
                return new Verdict.Unsupported(unsupported);
            }
            Formula formula = question.apply(requester, compilations.allowed(requester));
            for (String action : actions == null ? KNOWN_NAMES : actions) {
                Solver.Result result = readable(Formula.forAction(formula, action), action, assumptions.scope(),
                        compilations);
                Verdict found = verdict(result, requester, action, what);
                if (found != null) {
                    return found;
                }
            }
            if (actions == null) {
                Verdict found = verdict(solver.solve(Formula.and(formula, Formula.not(KNOWN_ACTIONS))), requester,
                        null, what);
                if (found != null) {
                    return found;
                }
            }
        }
        return new Verdict.Proved(claim, requesters.stream().map(Requester::description).toList());
    }

    private Verdict search(Assumptions assumptions, List<List<NamedPolicy>> sets, List<String> actions,
                           BiFunction<Requester, List<Formula>, Formula> question, String claim, String what) {
        return search(assumptions, requesters(assumptions, sets), new Compilations(assumptions, sets), actions,
                question, claim, what);
    }

    /** A counterexample or an exhausted budget as a verdict; null when the search found nothing. */
    private static Verdict verdict(Solver.Result result, Requester requester, String action, String what) {
        return switch (result) {
            case Solver.Result.Witness w -> counterexample(w, requester, action, what);
            case Solver.Result.Exhausted e -> new Verdict.Unsupported(List.of(exhausted(e, requester)));
            case Solver.Result.Empty empty -> null;
        };
    }

    /**
     * A shortest resource for a formula already fixed to one action, preferring a resource of the action's type
     * in the assumed account.
     */
    private Solver.Result readable(Formula formula, String action, AwsScope scope, Compilations compilations) {
        Solver.Result any = compilations.solved.computeIfAbsent(formula, solver::solve);
        if (!(any instanceof Solver.Result.Witness)) {
            return any;
        }
        for (KnownAction known : KnownAction.ALL) {
            if (known.name().equalsIgnoreCase(action)) {
                Solver.Result typed = solver.solve(Formula.and(formula, Formula.atom(Pattern.resource(Pattern.builder()
                        .literal(scope.arnPrefix() + known.resourceType() + "/").token(Pattern.STAR).build()))));
                if (typed instanceof Solver.Result.Witness) {
                    return typed;
                }
            }
        }
        return any;
    }

    /** The witness as a request; {@code action} is the action the formula was fixed to, or null for the witness's. */
    private static Verdict.Counterexample counterexample(Solver.Result.Witness witness, Requester requester,
                                                         String action, String what) {
        AuthorizationRequest request = new AuthorizationRequest(
                KnownAction.canonical(action == null ? witness.action() : action), witness.resource(),
                requester.context());
        return new Verdict.Counterexample(request, request.action() + " on " + request.resource() + " is " + what
                + " (" + requester.description() + ")");
    }

    private static String exhausted(Solver.Result.Exhausted e, Requester requester) {
        return "the search exceeded " + e.states() + " automaton states (" + requester.description()
                + "); simplify the policies or raise the analyzer's state budget";
    }

    private static List<Requester> requesters(Assumptions assumptions, List<List<NamedPolicy>> sets) {
        return assumptions.requester().map(Requesters::exactly)
                .orElseGet(() -> Requesters.anyDevice(sets, assumptions.certificate()));
    }

    private static PolicyCompiler compiler(Assumptions assumptions) {
        return new PolicyCompiler(assumptions.scope(), assumptions.mode(), assumptions.requester().isEmpty());
    }
}
