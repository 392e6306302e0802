package io.rampart.defender.internal;

import io.rampart.analyzer.Assumptions;
import io.rampart.analyzer.IsolationCheck;
import io.rampart.analyzer.IsolationReport;
import io.rampart.analyzer.IsolationSpec;
import io.rampart.analyzer.Verdict;
import io.rampart.common.RampartException;
import io.rampart.defender.CheckConfiguration;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.Effect;
import io.rampart.policy.Statement;
import io.rampart.registry.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IOT_POLICY_OVERLY_PERMISSIVE_CHECK, decided by the policy analyzer on each policy's default version, for any
 * device, under the gateway's substitution mode. A policy is reported when
 * <ul>
 *   <li>some AWS IoT action is allowed on every resource of its type (the {@code iot:*} on {@code *} kind), or</li>
 *   <li>the policy confines devices to a namespace {@code <prefix>/${iot:ClientId}} (or the thing name) and the
 *   analyzer finds a device request reaching into another device's part of that namespace, or using a client id with
 *   an MQTT wildcard, or subscribing to {@code #}, or touching another thing's shadow or jobs.</li>
 * </ul>
 * Each finding carries the analyzer's witness request, re-evaluated by the policy engine (the same one the gateway
 * uses): a witness the engine does not allow is not reported (and is named in the check's message). Policies the
 * analyzer cannot decide exactly are named in the message, not reported.
 */
record PolicyOverlyPermissive() implements Check {
    static final String CODE = "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS";
    private static final Pattern NAMESPACE = Pattern.compile(
            ":topic(?:filter)?/([^*?$+#]+?)/?\\$\\{iot:(?:ClientId|Connection\\.Thing\\.ThingName)}");
    private static final List<IsolationCheck> ESCAPES = List.of(IsolationCheck.PUBLISH_OUTSIDE_NAMESPACE,
            IsolationCheck.RECEIVE_OUTSIDE_NAMESPACE, IsolationCheck.SUBSCRIBE_OUTSIDE_NAMESPACE,
            IsolationCheck.ROOT_WILDCARD_SUBSCRIBE, IsolationCheck.OTHER_THING_SHADOW, IsolationCheck.OTHER_THING_JOBS);

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Assumptions anyDevice = Assumptions.anyDevice(snapshot.facts().scope(), snapshot.facts().substitutionMode());
        List<Found> found = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        List<Policy> policies = snapshot.policies().get();
        for (Policy policy : policies) {
            AuditedPolicy audited;
            try {
                audited = AuditedPolicy.of(policy);
            } catch (RampartException e) {
                undecided.add(AuditedPolicy.unreadable(policy, e));
                continue;
            }
            Verdict broad = snapshot.analyzer().checkOverlyPermissive(audited.asSet(), anyDevice);
            switch (broad) {
                case Verdict.Counterexample c -> {
                    report(snapshot, audited, c, "allows some action on every resource of its type", "OVERLY_PERMISSIVE",
                            found, undecided);
                    continue;
                }
                case Verdict.Unsupported u -> {
                    undecided.add(policy.name() + " (" + String.join("; ", u.constructs()) + ")");
                    continue;
                }
                case Verdict.Proved p -> {
                }
            }
            for (String prefix : namespaces(audited)) {
                IsolationReport report = snapshot.analyzer().checkDeviceIsolation(audited.asSet(), new IsolationSpec(prefix),
                        anyDevice);
                Verdict.Counterexample escape = escape(report, prefix, undecided, policy.name());
                if (escape != null) {
                    report(snapshot, audited, escape, "lets a device reach outside its namespace " + prefix
                            + "/<client id>", "NAMESPACE_ESCAPE", found, undecided);
                    break;
                }
            }
        }
        String message = undecided.isEmpty() ? null : undecided.size() + " policies could not be decided exactly: "
                + String.join(", ", undecided);
        return new Outcome(policies.size(), found, message);
    }

    private static void report(AuditSnapshot snapshot, AuditedPolicy policy, Verdict.Counterexample witness,
                               String what, String analysis, List<Found> found, List<String> undecided) {
        Decision decision = snapshot.engine().evaluate(policy.asSet(), witness.request());
        if (!decision.isAllowed()) {
            undecided.add(policy.policy().name() + " (the analyzer's witness " + witness.request().action() + " on "
                    + witness.request().resource() + " is not allowed by the policy engine)");
            return;
        }
        Map<String, String> info = new LinkedHashMap<>(AuditedPolicy.witness("witness", witness.request(), decision));
        info.put("analysis", analysis);
        info.put("explanation", witness.explanation());
        found.add(new Found(policy.resource(info), List.of(), "The policy " + policy.policy().name() + " version "
                + policy.policy().defaultVersionId() + " " + what + ": " + describe(witness.request()) + " is allowed",
                CODE));
    }

    private static String describe(AuthorizationRequest request) {
        return request.action() + " on " + request.resource()
                + request.context().clientId().map(id -> " by client id '" + id + "'").orElse("");
    }

    /**
     * The first isolation breach that is an escape (see the class comment); breaches elsewhere, such as a shared
     * fleet topic outside the namespace, are not.
     */
    private static Verdict.Counterexample escape(IsolationReport report, String prefix, List<String> undecided,
                                                 String policyName) {
        for (IsolationCheck check : ESCAPES) {
            Verdict verdict = report.verdict(check);
            if (verdict instanceof Verdict.Unsupported u) {
                undecided.add(policyName + " (" + check + ": " + String.join("; ", u.constructs()) + ")");
                return null;
            }
            if (verdict instanceof Verdict.Counterexample c && isEscape(check, c.request(), prefix)) {
                return c;
            }
        }
        return null;
    }

    private static boolean isEscape(IsolationCheck check, AuthorizationRequest request, String prefix) {
        if (check == IsolationCheck.ROOT_WILDCARD_SUBSCRIBE || check == IsolationCheck.OTHER_THING_SHADOW
                || check == IsolationCheck.OTHER_THING_JOBS) {
            return true;
        }
        String clientId = request.context().clientId().orElse("");
        if (clientId.contains("+") || clientId.contains("#")) {
            return true;
        }
        String resource = request.resource();
        int slash = resource.indexOf('/');
        String topic = slash < 0 ? "" : resource.substring(slash + 1);
        return topic.startsWith(prefix + "/") || topic.startsWith(prefix + "+") || topic.startsWith(prefix + "#");
    }

    /** The topic prefixes the policy puts before a client-id or thing-name variable in its Allow statements. */
    static Set<String> namespaces(AuditedPolicy policy) {
        Set<String> prefixes = new LinkedHashSet<>();
        for (Statement statement : policy.named().document().statements()) {
            if (statement.effect() != Effect.ALLOW || statement.notResource()) {
                continue;
            }
            for (String resource : statement.resources()) {
                Matcher m = NAMESPACE.matcher(resource);
                if (m.find()) {
                    String prefix = m.group(1);
                    if (!prefix.isEmpty() && !prefix.startsWith("/") && !prefix.endsWith("/")) {
                        prefixes.add(prefix);
                    }
                }
            }
        }
        return prefixes;
    }
}
