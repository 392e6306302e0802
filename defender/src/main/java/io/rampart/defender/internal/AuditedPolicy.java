package io.rampart.defender.internal;

import io.rampart.common.RampartException;
import io.rampart.defender.AuditResource;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.registry.Policy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A policy's default version as the policy checks judge it, parsed once. */
record AuditedPolicy(Policy policy, NamedPolicy named) {
    static AuditedPolicy of(Policy policy) {
        return new AuditedPolicy(policy, new NamedPolicy(policy.name(), policy.defaultVersionId(),
                PolicyDocument.parse(policy.document())));
    }

    List<NamedPolicy> asSet() {
        return List.of(named);
    }

    AuditResource resource(Map<String, String> info) {
        return new AuditResource(ResourceType.IOT_POLICY, ResourceIdentifier.policyVersion(policy.name(),
                policy.defaultVersionId()), info);
    }

    /** A witness request as finding details: action, resource, client id, and the evaluator's decision on it. */
    static Map<String, String> witness(String prefix, AuthorizationRequest request, Decision decision) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put(prefix + "Action", request.action());
        info.put(prefix + "Resource", request.resource());
        request.context().clientId().ifPresent(id -> info.put(prefix + "ClientId", id));
        request.context().thing().ifPresent(thing -> info.put(prefix + "ThingName", thing.thingName()
                + (thing.attached() ? " (attached)" : " (not attached)")));
        info.put(prefix + "EvaluatorDecision", switch (decision) {
            case Decision.Allowed a -> "ALLOWED";
            case Decision.ExplicitDeny d -> "EXPLICIT_DENY";
            case Decision.ImplicitDeny i -> "IMPLICIT_DENY";
        });
        return info;
    }

    /** The policies that could not be read (a stored document the parser now refuses), as a message part. */
    static String unreadable(Policy policy, RampartException e) {
        return policy.name() + " version " + policy.defaultVersionId() + " (" + e.getMessage() + ")";
    }
}
