package io.rampart.server.gateway;

import io.rampart.broker.AuthorizationQuery;
import io.rampart.broker.Authorizer;
import io.rampart.broker.Principal;
import io.rampart.common.AwsScope;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.ConnectionPolicies;
import io.rampart.registry.Policy;
import io.rampart.registry.Registry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers the broker's authorization questions with the registry's policies and the policy engine.
 *
 * <p>A certificate connection is evaluated with {@link io.rampart.registry.Authorizations#forConnection}: the
 * certificate's policies, those of the thing named like the client id (when attached) and its groups, and the thing
 * and certificate variables. A plain-listener connection is evaluated with the listener's named policy only, with
 * just the client id and source address known.
 *
 * <p>What the registry answered is kept per (principal, client id) until {@link #invalidate()} (the registry
 * announced a change); the broker keeps its own per-connection decision cache in front of this. Invariant: an answer
 * read before an invalidation is never stored after it (the generation check), so a change is never hidden by a
 * read that raced with it.
 */
public final class RegistryAuthorizer implements Authorizer {
    /** Past this many cached connections the cache starts over; entries are cheap to rebuild. */
    static final int MAX_CACHED = 10_000;

    private final Registry registry;
    private final PolicyEngine engine;
    private final Map<Key, ConnectionPolicies> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    private record Key(String principalId, String clientId) {
    }

    public RegistryAuthorizer(Registry registry, PolicyEngine engine) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public Decision authorize(AuthorizationQuery query) {
        return switch (query.principal()) {
            case Principal.Certificate certificate -> authorizeCertificate(certificate.id(), query);
            case Principal.ListenerPolicy listener -> authorizeListener(listener.policyName(), query);
        };
    }

    private Decision authorizeCertificate(String certificateId, AuthorizationQuery query) {
        ConnectionPolicies connection = connection(certificateId, query.clientId());
        if (connection.certificate().status() != CertificateStatus.ACTIVE || !connection.caActive()) {
            // Between a status change and the disconnect it triggers, nothing more is allowed.
            return new Decision.ImplicitDeny();
        }
        RequestContext base = connection.context();
        RequestContext context = new RequestContext(base.clientId(), Optional.of(query.sourceIp()), base.time(),
                base.thing(), base.certificate(), base.conditionKeys());
        return engine.evaluate(connection.policies(), request(query, context));
    }

    private Decision authorizeListener(String policyName, AuthorizationQuery query) {
        Policy policy = registry.policies().get(policyName);
        NamedPolicy named = new NamedPolicy(policy.name(), policy.defaultVersionId(), PolicyDocument.parse(policy.document()));
        RequestContext context = RequestContext.builder().clientId(query.clientId()).sourceIp(query.sourceIp()).build();
        return engine.evaluate(List.of(named), request(query, context));
    }

    /**
     * The request for the policy engine, through the policy module's factories where the action has one (they build
     * the resource ARN the same way the broker does, from the same scope).
     */
    private AuthorizationRequest request(AuthorizationQuery query, RequestContext context) {
        AwsScope scope = engine.scope();
        String topicPrefix = scope.arn("topic", "");
        String filterPrefix = scope.arn("topicfilter", "");
        String resource = query.resource();
        return switch (query.action()) {
            case "iot:Connect" -> AuthorizationRequest.connect(scope, context);
            case "iot:Publish" -> resource.startsWith(topicPrefix)
                    ? AuthorizationRequest.publish(scope, resource.substring(topicPrefix.length()), context)
                    : new AuthorizationRequest(query.action(), resource, context);
            case "iot:Receive" -> resource.startsWith(topicPrefix)
                    ? AuthorizationRequest.receive(scope, resource.substring(topicPrefix.length()), context)
                    : new AuthorizationRequest(query.action(), resource, context);
            case "iot:RetainPublish" -> resource.startsWith(topicPrefix)
                    ? AuthorizationRequest.retainPublish(scope, resource.substring(topicPrefix.length()), context)
                    : new AuthorizationRequest(query.action(), resource, context);
            case "iot:Subscribe" -> resource.startsWith(filterPrefix)
                    ? AuthorizationRequest.subscribe(scope, resource.substring(filterPrefix.length()), context)
                    : new AuthorizationRequest(query.action(), resource, context);
            default -> new AuthorizationRequest(query.action(), resource, context);
        };
    }

    private ConnectionPolicies connection(String certificateId, String clientId) {
        Key key = new Key(certificateId, clientId);
        ConnectionPolicies cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        ConnectionPolicies read = registry.authorizations().forConnection(certificateId, clientId);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, read);
        if (generation.get() != before) {
            // An invalidation ran while we read: what we read may predate the change, so do not keep it.
            cache.remove(key, read);
        }
        return read;
    }

    /** Forgets everything read from the registry: a policy, attachment, thing or group changed. */
    public void invalidate() {
        generation.incrementAndGet();
        cache.clear();
    }
}
