package io.rampart.defender.internal;

import io.rampart.common.RampartException;
import io.rampart.defender.CheckConfiguration;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.Effect;
import io.rampart.policy.RequestContext;
import io.rampart.policy.Statement;
import io.rampart.registry.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK on each policy's default version, with AWS's two reasons:
 * <ul>
 *   <li>{@value #WILDCARDS_IN_DENY}: a Deny statement names a topic or topic filter containing the MQTT wildcards
 *   {@code +} or {@code #}, which policies treat as literal characters, so the Deny covers less than it seems to;</li>
 *   <li>{@value #DENY_BYPASSED}: a Deny of {@code iot:Subscribe} on {@code topicfilter/P/*} is bypassed by subscribing
 *   to {@code A/#} for an ancestor level A of P (or to {@code #}): the policy engine is asked, and the allowed filter
 *   is the witness.</li>
 * </ul>
 */
record PolicyMisconfiguration() implements Check {
    static final String WILDCARDS_IN_DENY = "POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT";
    static final String DENY_BYPASSED = "TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS";
    private static final String PROBE_CLIENT_ID = "rampart-audit-probe";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        List<Found> found = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<Policy> policies = snapshot.policies().get();
        for (Policy policy : policies) {
            AuditedPolicy audited;
            try {
                audited = AuditedPolicy.of(policy);
            } catch (RampartException e) {
                unreadable.add(AuditedPolicy.unreadable(policy, e));
                continue;
            }
            wildcardsInDeny(audited).ifPresent(found::add);
            bypassedDeny(snapshot, audited).ifPresent(found::add);
        }
        return new Outcome(policies.size(), found, unreadable.isEmpty() ? null
                : unreadable.size() + " policies could not be read: " + String.join(", ", unreadable));
    }

    private static java.util.Optional<Found> wildcardsInDeny(AuditedPolicy policy) {
        for (Statement statement : policy.named().document().statements()) {
            if (statement.effect() != Effect.DENY) {
                continue;
            }
            for (String resource : statement.resources()) {
                String topic = topicPart(resource);
                if (topic != null && (topic.contains("+") || topic.contains("#"))) {
                    Map<String, String> info = new LinkedHashMap<>();
                    info.put("statement", Integer.toString(statement.index()));
                    info.put("resource", resource);
                    return java.util.Optional.of(new Found(policy.resource(info), List.of(), "Statement "
                            + statement.index() + " of policy " + policy.policy().name() + " denies " + resource
                            + ", but '+' and '#' are literal characters in policies: the Deny does not cover the topics"
                            + " the MQTT wildcard suggests", WILDCARDS_IN_DENY));
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<Found> bypassedDeny(AuditSnapshot snapshot, AuditedPolicy policy) {
        RequestContext probe = RequestContext.builder().clientId(PROBE_CLIENT_ID).build();
        for (Statement statement : policy.named().document().statements()) {
            if (statement.effect() != Effect.DENY || statement.notResource() || !deniesSubscribe(statement)) {
                continue;
            }
            for (String resource : statement.resources()) {
                if (!resource.contains(":topicfilter/") || resource.contains("${") || !resource.endsWith("*")) {
                    continue;
                }
                String denied = resource.substring(resource.indexOf(":topicfilter/") + ":topicfilter/".length(),
                        resource.length() - 1);
                for (String ancestor : ancestorFilters(denied)) {
                    AuthorizationRequest request = AuthorizationRequest.subscribe(snapshot.facts().scope(), ancestor, probe);
                    Decision decision = snapshot.engine().evaluate(policy.asSet(), request);
                    if (decision.isAllowed()) {
                        Map<String, String> info = new LinkedHashMap<>(AuditedPolicy.witness("witness", request, decision));
                        info.put("statement", Integer.toString(statement.index()));
                        info.put("deniedResource", resource);
                        return java.util.Optional.of(new Found(policy.resource(info), List.of(), "Statement "
                                + statement.index() + " of policy " + policy.policy().name() + " denies subscribing to "
                                + resource + ", but the policy allows subscribing to '" + ancestor
                                + "', which receives those topics too", DENY_BYPASSED));
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean deniesSubscribe(Statement statement) {
        boolean listed = statement.actions().stream().anyMatch(a -> a.equals("*") || a.equalsIgnoreCase("iot:*")
                || a.equalsIgnoreCase("iot:Subscribe"));
        return statement.notAction() != listed;
    }

    /** For a denied subtree {@code a/b/c/} (or {@code a/b/c}): {@code #}, {@code a/#}, {@code a/b/#}. */
    static List<String> ancestorFilters(String denied) {
        String subtree = denied.endsWith("/") ? denied.substring(0, denied.length() - 1) : denied;
        List<String> filters = new ArrayList<>();
        filters.add("#");
        String[] levels = subtree.split("/", -1);
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < levels.length - 1; i++) {
            prefix.append(levels[i]).append('/');
            filters.add(prefix + "#");
        }
        return filters;
    }

    private static String topicPart(String resource) {
        for (String type : List.of(":topic/", ":topicfilter/")) {
            int at = resource.indexOf(type);
            if (at >= 0) {
                return resource.substring(at + type.length());
            }
        }
        return null;
    }
}
