package io.rampart.analyzer;

import io.rampart.analyzer.PolicyClassification.Misconfiguration;
import io.rampart.analyzer.PolicyClassification.MisconfigurationReason;
import io.rampart.analyzer.internal.Formula;
import io.rampart.analyzer.internal.KnownAction;
import io.rampart.analyzer.internal.Pattern;
import io.rampart.analyzer.internal.PolicyCompiler;
import io.rampart.analyzer.internal.Requesters;
import io.rampart.analyzer.internal.Requesters.Requester;
import io.rampart.common.AwsScope;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Effect;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.Statement;
import io.rampart.policy.SubstitutionMode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Device Defender's policy checks decided by the analyzer: {@link #classify} says whether one policy is overly
 * permissive (IOT_POLICY_OVERLY_PERMISSIVE_CHECK), potentially misconfigured
 * (IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK), safe, or beyond what the analyzer decides. A policy is judged
 * for any device that might hold it (client id and thing symbolic, see {@link Assumptions#anyDevice}); every
 * witness is re-evaluated with the policy engine before it is returned. Stateless; safe to share between threads.
 */
public final class PolicyAudit {
    /** A Deny filter with more levels than this is not searched for bypassing wildcard filters (AWS allows 8). */
    static final int MAX_FILTER_LEVELS = 8;

    private final PolicyAnalyzer analyzer;
    private final AwsScope scope;
    private final SubstitutionMode mode;
    private final Assumptions assumptions;
    private final PolicyEngine engine;
    private final PolicyCompiler compiler;

    public PolicyAudit(AwsScope scope, SubstitutionMode mode) {
        this(new PolicyAnalyzer(), scope, mode);
    }

    public PolicyAudit(PolicyAnalyzer analyzer, AwsScope scope, SubstitutionMode mode) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.assumptions = Assumptions.anyDevice(scope, mode);
        // The analyzer reads time-free requests at the epoch; conditions on time are reported unsupported anyway.
        this.engine = new PolicyEngine(scope, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), mode);
        this.compiler = new PolicyCompiler(scope, mode, true);
    }

    /** Classifies a policy document (named {@code policy} in witnesses and findings). */
    public PolicyClassification classify(PolicyDocument document) {
        return classify(new NamedPolicy("policy", "1", document));
    }

    /** Classifies one policy version. */
    public PolicyClassification classify(NamedPolicy policy) {
        List<NamedPolicy> policies = List.of(policy);
        List<Verdict.Counterexample> witnesses = new ArrayList<>();
        Set<String> unsupported = new LinkedHashSet<>();
        List<String> requesters = List.of();
        Formula rootFilter = Formula.and(KnownAction.is("iot:Subscribe"), Formula.atom(Pattern.resource(
                Pattern.builder().literal(scope.arn("topicfilter", "#")).build())));
        for (Verdict verdict : List.of(
                analyzer.checkOverlyPermissive(policies, assumptions),
                analyzer.checkCrossDeviceAccess(policies, assumptions),
                analyzer.findAllowed(policies, assumptions, (requester, allowed) -> rootFilter,
                        "no device can subscribe to #", "a subscription to every topic"))) {
            switch (verdict) {
                case Verdict.Counterexample c -> witnesses.add(confirmed(policies, c));
                case Verdict.Unsupported u -> unsupported.addAll(u.constructs());
                case Verdict.Proved p -> requesters = p.requesters();
            }
        }
        List<Misconfiguration> misconfigurations = misconfigurations(policy);
        if (!witnesses.isEmpty()) {
            return new PolicyClassification.OverlyPermissive(witnesses, misconfigurations);
        }
        if (!unsupported.isEmpty()) {
            return new PolicyClassification.Unsupported(List.copyOf(unsupported), misconfigurations);
        }
        if (!misconfigurations.isEmpty()) {
            return new PolicyClassification.PotentialMisconfiguration(misconfigurations);
        }
        return new PolicyClassification.Safe(requesters);
    }

    /** The Deny resources that probably do not deny what they were written for. */
    public List<Misconfiguration> misconfigurations(NamedPolicy policy) {
        List<NamedPolicy> policies = List.of(policy);
        List<Requester> requesters = Requesters.anyDevice(List.of(policies));
        boolean variables = PolicyCompiler.substitutesVariables(policy.document());
        List<Misconfiguration> found = new ArrayList<>();
        for (Statement statement : policy.document().statements()) {
            if (statement.effect() != Effect.DENY || statement.notResource()) {
                continue;
            }
            Formula actions = PolicyCompiler.actions(statement);
            for (String resource : statement.resources()) {
                String written = resource.replaceAll("\\$\\{[^}]*}", "");
                if (written.indexOf('+') >= 0 || written.indexOf('#') >= 0) {
                    Verdict verdict = analyzer.findAllowed(policies, assumptions, (requester, allowed) -> Formula.and(
                                    actions, compiler.mqttIntent(resource, variables, Effect.DENY, requester.context())),
                            "nothing the wildcards seem to deny is allowed", "allowed although the Deny of "
                                    + resource + " seems meant to refuse it (policies read + and # literally)");
                    Verdict.Counterexample witness = verdict instanceof Verdict.Counterexample c
                            ? confirmed(policies, c) : null;
                    found.add(new Misconfiguration(MisconfigurationReason.POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT,
                            policy.name(), statement.index(), resource, "policies read MQTT wildcards literally: this"
                            + " Deny refuses only resources spelled with '" + (written.indexOf('#') >= 0 ? "#" : "+")
                            + "'" + (witness == null ? "" : "; e.g. " + witness.request().action() + " on "
                            + witness.request().resource() + " is allowed"), witness));
                } else if (applies(actions, "iot:Subscribe")) {
                    bypass(policies, statement, resource, variables, requesters).ifPresent(found::add);
                }
            }
        }
        return found;
    }

    /**
     * A Deny of iot:Subscribe on a topic filter without wildcards: is a wildcard filter matching the same topic
     * allowed? The filters matching a topic are finitely many (each level itself or {@code +}, or a final
     * {@code #}), so they are all asked, of the engine, for each representative device.
     */
    private Optional<Misconfiguration> bypass(List<NamedPolicy> policies, Statement statement, String resource,
                                              boolean variables, List<Requester> requesters) {
        String prefix = scope.arnPrefix() + "topicfilter/";
        for (Requester requester : requesters) {
            Optional<String> denied = compiler.literalResource(resource, variables, Effect.DENY, requester.context());
            if (denied.isEmpty() || !denied.get().startsWith(prefix)) {
                continue;
            }
            String topic = denied.get().substring(prefix.length());
            if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
                continue;
            }
            String[] levels = topic.split("/", -1);
            if (levels.length > MAX_FILTER_LEVELS) {
                continue;
            }
            for (String filter : coveringFilters(levels)) {
                AuthorizationRequest request = AuthorizationRequest.subscribe(scope, filter, requester.context());
                if (engine.evaluate(policies, request).isAllowed()) {
                    Verdict.Counterexample witness = new Verdict.Counterexample(request, "iot:Subscribe on "
                            + request.resource() + " is allowed and receives what is published to '" + topic
                            + "' (if iot:Receive allows it), although the Deny refuses the filter '" + topic
                            + "' itself (" + requester.description() + ")");
                    return Optional.of(new Misconfiguration(
                            MisconfigurationReason.TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS,
                            policies.get(0).name(), statement.index(), resource, "the Deny refuses the filter '"
                            + topic + "' but the wildcard filter '" + filter + "' is allowed", witness));
                }
            }
        }
        return Optional.empty();
    }

    /** Every MQTT filter other than the topic itself that matches the topic (MQTT 4.7; no wildcard matches a leading $ level). */
    static List<String> coveringFilters(String[] levels) {
        List<List<String>> prefixes = new ArrayList<>();
        prefixes.add(List.of());
        List<String> filters = new ArrayList<>();
        for (int k = 0; k <= levels.length; k++) {
            for (List<String> p : prefixes) {
                String head = String.join("/", p);
                boolean dollar = levels[0].startsWith("$");
                if (!(k == 0 && dollar)) {
                    filters.add(k == 0 ? "#" : head + "/#");
                }
                if (k == levels.length && p.contains("+")) {
                    filters.add(head);
                }
            }
            if (k == levels.length) {
                break;
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> p : prefixes) {
                List<String> same = new ArrayList<>(p);
                same.add(levels[k]);
                next.add(same);
                if (!(k == 0 && levels[0].startsWith("$"))) {
                    List<String> plus = new ArrayList<>(p);
                    plus.add("+");
                    next.add(plus);
                }
            }
            prefixes = next;
        }
        return filters;
    }

    private static boolean applies(Formula actions, String action) {
        return !Formula.forAction(actions, action).equals(Formula.FALSE);
    }

    /** The witness after the engine has allowed it: the audit never reports a request the engine would refuse. */
    private Verdict.Counterexample confirmed(List<NamedPolicy> policies, Verdict.Counterexample witness) {
        if (!engine.evaluate(policies, witness.request()).isAllowed()) {
            throw new IllegalStateException("the analyzer and the policy engine disagree on " + witness.request()
                    + "; please report this policy");
        }
        return witness;
    }
}
