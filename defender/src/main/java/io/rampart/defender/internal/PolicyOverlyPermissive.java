package io.rampart.defender.internal;

import io.rampart.analyzer.PolicyClassification;
import io.rampart.analyzer.Verdict;
import io.rampart.defender.CheckConfiguration;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IOT_POLICY_OVERLY_PERMISSIVE_CHECK, decided by the analyzer's policy audit ({@code PolicyAudit.classify}) on each
 * policy's default version, for any device, under the gateway's substitution mode: some action allowed on every
 * resource of its type (the {@code iot:*} on {@code *} kind), a device reaching a resource the policy grants another
 * device by its identity (e.g. {@code ${iot:ClientId}} escaping its namespace through a wildcard), or a subscription
 * to {@code #}. The finding carries the first witness, evaluated once more by the node's own policy engine (the one
 * the gateway decides with); a witness that engine does not allow is not reported but named in the check's message,
 * as are the policies the analyzer cannot decide.
 */
record PolicyOverlyPermissive() implements Check {
    static final String CODE = PolicyClassification.BROAD_ACCESS;

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        List<Found> found = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        List<AuditSnapshot.ClassifiedPolicy> policies = snapshot.classifiedPolicies().get();
        for (AuditSnapshot.ClassifiedPolicy classified : policies) {
            if (classified.classification() == null) {
                undecided.add(classified.unreadable());
                continue;
            }
            AuditedPolicy policy = classified.policy();
            switch (classified.classification()) {
                case PolicyClassification.OverlyPermissive broad -> report(snapshot, policy, broad.witnesses(), found,
                        undecided);
                case PolicyClassification.Unsupported u -> undecided.add(policy.policy().name() + " ("
                        + String.join("; ", u.constructs()) + ")");
                case PolicyClassification.PotentialMisconfiguration m -> {
                }
                case PolicyClassification.Safe s -> {
                }
            }
        }
        String message = undecided.isEmpty() ? null : undecided.size() + " policies could not be decided exactly: "
                + String.join(", ", undecided);
        return new Outcome(policies.size(), found, message);
    }

    private static void report(AuditSnapshot snapshot, AuditedPolicy policy, List<Verdict.Counterexample> witnesses,
                               List<Found> found, List<String> undecided) {
        for (Verdict.Counterexample witness : witnesses) {
            Decision decision = snapshot.engine().evaluate(policy.asSet(), witness.request());
            if (!decision.isAllowed()) {
                undecided.add(policy.policy().name() + " (the analyzer's witness " + witness.request().action() + " on "
                        + witness.request().resource() + " is not allowed by the node's policy engine)");
                continue;
            }
            Map<String, String> info = new LinkedHashMap<>(AuditedPolicy.witness("witness", witness.request(), decision));
            info.put("explanation", witness.explanation());
            info.put("witnesses", Integer.toString(witnesses.size()));
            found.add(new Found(policy.resource(info), List.of(), "The policy " + policy.policy().name() + " version "
                    + policy.policy().defaultVersionId() + " gives broad access: " + describe(witness.request())
                    + " is allowed (" + witness.explanation() + ")", CODE));
            return;
        }
    }

    private static String describe(AuthorizationRequest request) {
        return request.action() + " on " + request.resource()
                + request.context().clientId().map(id -> " by client id '" + id + "'").orElse("");
    }
}
