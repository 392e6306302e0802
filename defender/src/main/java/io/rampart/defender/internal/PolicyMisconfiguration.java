package io.rampart.defender.internal;

import io.rampart.analyzer.PolicyClassification;
import io.rampart.defender.CheckConfiguration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK from the analyzer's policy audit, with AWS's two reasons: MQTT
 * wildcards ({@code +}, {@code #}) in a Deny statement, which policies read literally; and a Deny of a topic filter
 * bypassed by a wildcard filter the policy allows. One finding per policy and reason (the first Deny resource found),
 * with the analyzer's witness (an allowed request the Deny seems meant to refuse) when there is one.
 */
record PolicyMisconfiguration() implements Check {
    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        List<Found> found = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<AuditSnapshot.ClassifiedPolicy> policies = snapshot.classifiedPolicies().get();
        for (AuditSnapshot.ClassifiedPolicy classified : policies) {
            if (classified.classification() == null) {
                unreadable.add(classified.unreadable());
                continue;
            }
            AuditedPolicy policy = classified.policy();
            Set<PolicyClassification.MisconfigurationReason> reported =
                    EnumSet.noneOf(PolicyClassification.MisconfigurationReason.class);
            for (PolicyClassification.Misconfiguration m : classified.classification().misconfigurations()) {
                if (!reported.add(m.reason())) {
                    continue;
                }
                Map<String, String> info = new LinkedHashMap<>();
                info.put("statement", Integer.toString(m.statement()));
                info.put("deniedResource", m.resource());
                if (m.witness() != null) {
                    info.putAll(AuditedPolicy.witness("witness", m.witness().request(),
                            snapshot.engine().evaluate(policy.asSet(), m.witness().request())));
                }
                found.add(new Found(policy.resource(info), List.of(), "Statement " + m.statement() + " of policy "
                        + policy.policy().name() + " denies " + m.resource() + ", but " + m.explanation(),
                        m.reason().name()));
            }
        }
        return new Outcome(policies.size(), found, unreadable.isEmpty() ? null
                : unreadable.size() + " policies could not be read: " + String.join(", ", unreadable));
    }
}
