package io.rampart.analyzer;

import io.rampart.policy.CertificateContext;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.RequestContext;
import io.rampart.policy.ThingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policies in force for a certificate, a thing or a thing group, as AWS IoT combines them: a device
 * connecting with a certificate gets the certificate's policies, plus, when its client id is the name of a thing
 * attached to that certificate, the policies of the thing's groups and of all their ancestor groups. Each way of
 * connecting is one {@link Connection}; a question about the target holds when it holds for each of them.
 *
 * <p>Built from policy documents alone (the API's gathering step reads them from the registry), so the analysis
 * stays pure.
 *
 * @param target a description of the target, e.g. {@code certificate 3f2a...}
 */
public record EffectivePermissions(String target, List<Connection> connections) {
    public EffectivePermissions {
        Objects.requireNonNull(target, "target");
        connections = List.copyOf(connections);
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("a target has at least one way of connecting");
        }
    }

    /**
     * One way of connecting and the policies it gets.
     *
     * @param description e.g. {@code certificate 3f2a... with any client id}
     * @param requester   the exact requester (client id, thing, certificate), or empty for any device
     * @param certificate for any device: the certificate it connects with, if known
     */
    public record Connection(String description, List<NamedPolicy> policies, Optional<RequestContext> requester,
                             Optional<CertificateContext> certificate) {
        public Connection {
            Objects.requireNonNull(description, "description");
            policies = List.copyOf(policies);
            Objects.requireNonNull(requester, "requester");
            Objects.requireNonNull(certificate, "certificate");
        }

        /** The assumptions this connection is analyzed under, in the caller's scope and substitution mode. */
        Assumptions assumptions(Assumptions base) {
            return requester.map(r -> Assumptions.forRequester(base.scope(), base.mode(), r))
                    .orElseGet(() -> new Assumptions(base.scope(), base.mode(), Optional.empty(),
                            certificate.or(base::certificate)));
        }
    }

    /** A certificate, with the policies attached to it. */
    public record Certificate(String certificateId, CertificateContext context, List<NamedPolicy> policies) {
        public Certificate {
            Objects.requireNonNull(certificateId, "certificateId");
            Objects.requireNonNull(context, "context");
            policies = List.copyOf(policies);
        }
    }

    /**
     * A certificate: with any client id it has its own policies; as each attached thing (client id = thing name)
     * it also has the policies of that thing's groups.
     *
     * @param things per attached thing (as the registry describes it, attached): the policies of its groups and
     *               their ancestors
     */
    public static EffectivePermissions ofCertificate(Certificate certificate, Map<ThingContext, List<NamedPolicy>> things) {
        List<Connection> connections = new ArrayList<>();
        connections.add(new Connection("certificate " + certificate.certificateId() + " with any client id",
                certificate.policies(), Optional.empty(), Optional.of(certificate.context())));
        things.forEach((thing, groupPolicies) -> connections.add(asThing(certificate, thing, groupPolicies)));
        return new EffectivePermissions("certificate " + certificate.certificateId(), connections);
    }

    /** A thing: a device connecting as it (client id = thing name) with each attached certificate. */
    public static EffectivePermissions ofThing(ThingContext thing, List<NamedPolicy> groupPolicies,
                                               List<Certificate> certificates) {
        List<Connection> connections = new ArrayList<>();
        certificates.forEach(certificate -> connections.add(asThing(certificate, thing, groupPolicies)));
        if (connections.isEmpty()) {
            // No certificate: nothing can connect as the thing, but its groups' policies are still worth checking.
            connections.add(new Connection("thing " + thing.thingName() + " (no certificate attached; its groups'"
                    + " policies)", groupPolicies, Optional.of(RequestContext.builder().clientId(thing.thingName())
                    .thing(thing).build()), Optional.empty()));
        }
        return new EffectivePermissions("thing " + thing.thingName(), connections);
    }

    /**
     * A thing group: its policies and its ancestors', for any device in it (a member connecting as itself; the
     * client id is left open, so the analysis also covers devices these policies would not reach).
     */
    public static EffectivePermissions ofThingGroup(String groupName, List<NamedPolicy> policies) {
        return new EffectivePermissions("thing group " + groupName, List.of(new Connection("a device in thing group "
                + groupName, policies, Optional.empty(), Optional.empty())));
    }

    private static Connection asThing(Certificate certificate, ThingContext thing, List<NamedPolicy> groupPolicies) {
        List<NamedPolicy> all = new ArrayList<>(certificate.policies());
        groupPolicies.stream().filter(g -> all.stream().noneMatch(p -> p.name().equals(g.name()))).forEach(all::add);
        RequestContext requester = RequestContext.builder().clientId(thing.thingName()).thing(thing)
                .certificate(certificate.context()).build();
        return new Connection("certificate " + certificate.certificateId() + " as thing " + thing.thingName(), all,
                Optional.of(requester), Optional.empty());
    }
}
