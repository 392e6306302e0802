package io.rampart.api;

import io.rampart.analyzer.EffectivePermissions;
import io.rampart.common.AwsScope;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.policy.CertificateContext;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyLimits;
import io.rampart.policy.ThingContext;
import io.rampart.registry.ConnectionPolicies;
import io.rampart.registry.EffectivePolicy;
import io.rampart.registry.Policy;
import io.rampart.registry.PolicyVersion;
import io.rampart.registry.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads from the registry what the analyzer reasons about: a policy version, or the effective policies of a
 * certificate, thing or thing group ({@link EffectivePermissions}), resolved exactly as the gateway resolves them
 * at CONNECT ({@code Authorizations.forConnection}).
 */
final class PolicyTargets {
    private final Registry registry;
    private final AwsScope scope;

    PolicyTargets(Registry registry, AwsScope scope) {
        this.registry = registry;
        this.scope = scope;
    }

    /** A stored policy: the given version, or the default one when {@code versionId} is null. */
    NamedPolicy policy(String policyName, String versionId) {
        if (versionId == null) {
            Policy policy = registry.policies().get(policyName);
            return new NamedPolicy(policy.name(), policy.defaultVersionId(), parse(policy.document()));
        }
        PolicyVersion version = registry.policies().getVersion(policyName, versionId);
        return new NamedPolicy(version.policyName(), version.versionId(), parse(version.document()));
    }

    /** The certificate with any client id, and as each thing attached to it. */
    EffectivePermissions certificate(String certificateId) {
        ConnectionPolicies anyClient = registry.authorizations().forConnection(certificateId, null);
        String id = anyClient.certificate().id();
        CertificateContext context = anyClient.context().certificate().orElseThrow();
        Map<ThingContext, List<NamedPolicy>> things = new LinkedHashMap<>();
        for (String thingName : all(token -> registry.attachments().listPrincipalThings(anyClient.certificate().arn(),
                new Page.Request(Page.Request.LIMIT, token)))) {
            ConnectionPolicies asThing = registry.authorizations().forConnection(id, thingName);
            asThing.context().thing().filter(ThingContext::attached)
                    .ifPresent(thing -> things.put(thing, without(asThing.policies(), anyClient.policies())));
        }
        return EffectivePermissions.ofCertificate(new EffectivePermissions.Certificate(id, context,
                anyClient.policies()), things);
    }

    /** The thing, connecting as itself with each attached certificate. */
    EffectivePermissions thing(String thingName) {
        registry.things().describe(thingName);
        List<String> certificates = all(token -> registry.attachments().listThingPrincipals(thingName,
                new Page.Request(Page.Request.LIMIT, token))).stream()
                .filter(arn -> arn.startsWith(scope.arnPrefix() + "cert/"))
                .map(arn -> arn.substring(arn.lastIndexOf('/') + 1)).toList();
        if (certificates.isEmpty()) {
            throw RampartException.invalidRequest("thing '" + thingName + "' has no certificate attached, so no device"
                    + " can connect as it; analyze its thing groups (thingGroupName) or its policies instead");
        }
        List<EffectivePermissions.Certificate> attached = new ArrayList<>();
        ThingContext thing = null;
        List<NamedPolicy> groupPolicies = List.of();
        for (String certificateId : certificates) {
            ConnectionPolicies asThing = registry.authorizations().forConnection(certificateId, thingName);
            ConnectionPolicies anyClient = registry.authorizations().forConnection(certificateId, null);
            thing = asThing.context().thing().orElseThrow();
            groupPolicies = without(asThing.policies(), anyClient.policies());
            attached.add(new EffectivePermissions.Certificate(certificateId,
                    anyClient.context().certificate().orElseThrow(), anyClient.policies()));
        }
        return EffectivePermissions.ofThing(thing, groupPolicies, attached);
    }

    /** The group's policies and those of its ancestors. */
    EffectivePermissions thingGroup(String groupName) {
        List<EffectivePolicy> effective = registry.authorizations()
                .effectivePolicies(scope.arn("thinggroup", groupName), null);
        List<NamedPolicy> policies = effective.stream()
                .map(p -> new NamedPolicy(p.policyName(), registry.policies().get(p.policyName()).defaultVersionId(),
                        parse(p.policyDocument())))
                .toList();
        return EffectivePermissions.ofThingGroup(groupName, policies);
    }

    /** A stored document: the registry validated it against the node's own size limit already. */
    private static PolicyDocument parse(String document) {
        return PolicyDocument.parse(document, new PolicyLimits(Integer.MAX_VALUE));
    }

    private static List<NamedPolicy> without(List<NamedPolicy> all, List<NamedPolicy> removed) {
        Set<String> names = removed.stream().map(NamedPolicy::name).collect(Collectors.toSet());
        return all.stream().filter(p -> !names.contains(p.name())).toList();
    }

    private static List<String> all(Function<String, Page<String>> pages) {
        List<String> items = new ArrayList<>();
        String token = null;
        do {
            Page<String> page = pages.apply(token);
            items.addAll(page.items());
            token = page.nextToken();
        } while (token != null);
        return items;
    }
}
