package io.rampart.registry.internal;

import io.rampart.common.RampartException;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.CertificateContext;
import io.rampart.policy.Decision;
import io.rampart.policy.Evaluation;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.policy.StatementMatch;
import io.rampart.policy.ThingContext;
import io.rampart.registry.AuthDecision;
import io.rampart.registry.AuthInfo;
import io.rampart.registry.AuthResult;
import io.rampart.registry.Authorizations;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.Certificate;
import io.rampart.registry.ConnectionPolicies;
import io.rampart.registry.EffectivePolicy;
import io.rampart.registry.PolicyRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Effective policies and authorization tests. A principal's policies are read with a fixed number of queries
 * (certificate, its policies, the thing, its groups' paths, the groups' policies), never one per policy or group.
 *
 * <p>Reads run in auto-commit, not in a transaction: on SQLite every transaction takes the write lock, which would
 * serialize all MQTT connects. Each query sees committed data; a registry change landing between two of them gives
 * a mix of the states just before and just after it, the same exposure PostgreSQL's READ COMMITTED has anyway.
 * Certificate fields are parsed once per certificate id (the id is the hash of the DER, so it never goes stale).
 */
final class SqlAuthorizations implements Authorizations {
    private static final String POLICY_COLUMNS = "SELECT DISTINCT p.name, p.default_version, v.document FROM reg_policy_attachments a"
            + " JOIN reg_policies p ON p.name = a.policy_name"
            + " JOIN reg_policy_versions v ON v.policy_name = p.name AND v.version = p.default_version";
    private final Store store;
    private final PolicyDocuments documents;
    private final PolicyEngine engine;
    private final ConcurrentMap<String, CertificateContext> certificateContexts = new ConcurrentHashMap<>();

    SqlAuthorizations(Store store, PolicyDocuments documents, PolicyEngine engine) {
        this.store = store;
        this.documents = documents;
        this.engine = engine;
    }

    /** A stored policy with its default version's document. */
    private record StoredPolicy(String name, long version, String document) {
    }

    /** What a principal resolves to: its certificate (if it is one), the thing of the client id, and its policies. */
    private record Resolved(Optional<Certificate> certificate, Optional<ThingContext> thing, List<StoredPolicy> policies) {
    }

    @Override
    public List<EffectivePolicy> effectivePolicies(String principal, String thingName) {
        if (thingName != null) {
            Validation.thingName(thingName);
        }
        Resolved resolved = store.db.query(c -> resolve(c, principal, thingName));
        return resolved.policies().stream()
                .map(p -> new EffectivePolicy(p.name(), policyArn(p.name()), p.document()))
                .toList();
    }

    @Override
    public List<AuthResult> testAuthorization(String principal, String clientId, List<AuthInfo> authInfos,
                                              List<String> policyNamesToAdd, List<String> policyNamesToSkip) {
        if (authInfos == null || authInfos.isEmpty() || authInfos.size() > 10) {
            throw RampartException.invalidRequest("authInfos must hold 1 to 10 entries");
        }
        List<String> toAdd = policyNamesToAdd == null ? List.of() : policyNamesToAdd;
        Set<String> toSkip = policyNamesToSkip == null ? Set.of() : Set.copyOf(policyNamesToSkip);
        toAdd.forEach(Validation::policyName);
        toSkip.forEach(Validation::policyName);
        if (clientId != null && clientId.isEmpty()) {
            throw RampartException.invalidRequest("clientId must not be empty");
        }
        record Prepared(Resolved resolved, List<StoredPolicy> added) {
        }
        Prepared prepared = store.db.query(c -> {
            Resolved resolved = resolve(c, principal, clientId);
            List<StoredPolicy> added = toAdd.isEmpty() ? List.of() : Jdbc.list(c,
                    "SELECT p.name, p.default_version, v.document FROM reg_policies p"
                            + " JOIN reg_policy_versions v ON v.policy_name = p.name AND v.version = p.default_version"
                            + " WHERE p.name IN (" + Jdbc.placeholders(toAdd.size()) + ")",
                    rs -> new StoredPolicy(rs.getString(1), rs.getLong(2), rs.getString(3)), toAdd.toArray());
            if (added.size() != Set.copyOf(toAdd).size()) {
                Set<String> found = new LinkedHashSet<>();
                added.forEach(p -> found.add(p.name()));
                String missing = toAdd.stream().filter(n -> !found.contains(n)).findFirst().orElseThrow();
                throw RampartException.notFound("policy '" + missing + "' in policyNamesToAdd does not exist");
            }
            return new Prepared(resolved, added);
        });
        Map<String, StoredPolicy> byName = new LinkedHashMap<>();
        prepared.resolved().policies().forEach(p -> byName.put(p.name(), p));
        prepared.added().forEach(p -> byName.putIfAbsent(p.name(), p));
        toSkip.forEach(byName::remove);
        List<NamedPolicy> policies = byName.values().stream().map(this::named).toList();
        RequestContext context = context(clientId, prepared.resolved().thing(), prepared.resolved().certificate());
        List<AuthResult> results = new ArrayList<>();
        for (AuthInfo info : authInfos) {
            results.add(evaluate(info, policies, context));
        }
        return results;
    }

    @Override
    public ConnectionPolicies forConnection(String certificateId, String clientId) {
        String id = Validation.certificateId(certificateId);
        record Read(Resolved resolved, boolean caActive) {
        }
        Read read = store.db.query(c -> {
            Resolved resolved = resolve(c, store.scope.arn(Targets.CERTIFICATE, id), clientId);
            String caId = resolved.certificate().orElseThrow().caCertificateId();
            boolean caActive = caId == null || Jdbc.first(c, "SELECT status FROM reg_ca_certificates WHERE id = ?",
                    rs -> rs.getString(1), caId).map(CaCertificateStatus.ACTIVE.name()::equals).orElse(true);
            return new Read(resolved, caActive);
        });
        List<NamedPolicy> policies = read.resolved().policies().stream().map(this::named).toList();
        return new ConnectionPolicies(read.resolved().certificate().orElseThrow(), read.caActive(), policies,
                context(clientId, read.resolved().thing(), read.resolved().certificate()));
    }

    private AuthResult evaluate(AuthInfo info, List<NamedPolicy> policies, RequestContext context) {
        if (info.resources().isEmpty()) {
            throw RampartException.invalidRequest("each authInfo needs at least one resource ARN");
        }
        Set<String> allowed = new LinkedHashSet<>();
        Set<String> denied = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        boolean anyImplicit = false;
        for (String resource : info.resources()) {
            if (resource == null || !resource.startsWith("arn:")) {
                throw RampartException.invalidRequest("authInfo resources must be ARNs such as "
                        + store.scope.arn("topic", "a/b") + ", got '" + resource + "'");
            }
            Evaluation evaluation = engine.evaluateDetailed(policies,
                    new AuthorizationRequest(info.actionType().policyAction(), resource, context));
            missing.addAll(evaluation.missingContextValues());
            switch (evaluation.decision()) {
                case Decision.Allowed a -> a.allowing().stream().map(StatementMatch::policyName).forEach(allowed::add);
                case Decision.ExplicitDeny d -> d.denying().stream().map(StatementMatch::policyName).forEach(denied::add);
                case Decision.ImplicitDeny i -> anyImplicit = true;
            }
        }
        AuthDecision decision = !denied.isEmpty() ? AuthDecision.EXPLICIT_DENY
                : anyImplicit ? AuthDecision.IMPLICIT_DENY : AuthDecision.ALLOWED;
        // AWS lists, under implicitDeny, the policies that were evaluated without any of them matching.
        List<PolicyRef> implicit = decision == AuthDecision.IMPLICIT_DENY
                ? policies.stream().map(p -> ref(p.name())).toList() : List.of();
        return new AuthResult(info, decision,
                decision == AuthDecision.ALLOWED ? allowed.stream().map(this::ref).toList() : List.of(),
                denied.stream().map(this::ref).toList(), implicit, List.copyOf(missing));
    }

    /**
     * Resolves the principal (certificate ARN or id, or thing-group ARN) to its policies; for a certificate, the
     * thing named {@code thingName} adds its groups' policies when it is attached to the certificate.
     */
    private Resolved resolve(Connection c, String principal, String thingName) throws SQLException {
        if (principal != null && principal.startsWith(store.scope.arnPrefix() + Targets.THING_GROUP + "/")) {
            Targets.Target group = Targets.policyTarget(store.scope, principal);
            String path = Jdbc.first(c, "SELECT path FROM reg_thing_groups WHERE name = ?", rs -> rs.getString(1), group.name())
                    .orElseThrow(() -> RampartException.notFound("thing group '" + group.name() + "' does not exist"));
            return new Resolved(Optional.empty(), Optional.empty(), groupPolicies(c, SqlThingGroups.namesOnPath(path)));
        }
        String certificateId = Targets.certificatePrincipal(store.scope, principal);
        Certificate certificate = CertificateRows.find(c, store.scope, certificateId, "")
                .orElseThrow(() -> CertificateRows.notFound(certificateId));
        Map<String, StoredPolicy> policies = new LinkedHashMap<>();
        Jdbc.list(c, POLICY_COLUMNS + " WHERE a.target_kind = ? AND a.target_name = ? ORDER BY p.name",
                rs -> new StoredPolicy(rs.getString(1), rs.getLong(2), rs.getString(3)), Targets.CERTIFICATE, certificateId)
                .forEach(p -> policies.put(p.name(), p));
        Optional<ThingContext> thing = Optional.empty();
        if (thingName != null && !thingName.isEmpty()) {
            thing = Jdbc.first(c, "SELECT t.thing_type, t.attributes,"
                            + " (SELECT COUNT(*) FROM reg_thing_principals p WHERE p.thing_name = t.name AND p.certificate_id = ?)"
                            + " FROM reg_things t WHERE t.name = ?",
                    rs -> new ThingContext(thingName, Optional.ofNullable(rs.getString(1)),
                            store.attributesFromJson(rs.getString(2)), rs.getLong(3) > 0),
                    certificateId, thingName);
            if (thing.isPresent() && thing.get().attached()) {
                List<String> paths = Jdbc.list(c, "SELECT g.path FROM reg_thing_group_members m"
                        + " JOIN reg_thing_groups g ON g.name = m.group_name WHERE m.thing_name = ?", rs -> rs.getString(1), thingName);
                Set<String> groups = new LinkedHashSet<>();
                paths.forEach(path -> groups.addAll(SqlThingGroups.namesOnPath(path)));
                if (!groups.isEmpty()) {
                    groupPolicies(c, List.copyOf(groups)).forEach(p -> policies.putIfAbsent(p.name(), p));
                }
            }
        }
        return new Resolved(Optional.of(certificate), thing, List.copyOf(policies.values()));
    }

    private List<StoredPolicy> groupPolicies(Connection c, List<String> groups) throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(Targets.THING_GROUP);
        args.addAll(groups);
        return Jdbc.list(c, POLICY_COLUMNS + " WHERE a.target_kind = ? AND a.target_name IN (" + Jdbc.placeholders(groups.size())
                        + ") ORDER BY p.name",
                rs -> new StoredPolicy(rs.getString(1), rs.getLong(2), rs.getString(3)), args.toArray());
    }

    private RequestContext context(String clientId, Optional<ThingContext> thing, Optional<Certificate> certificate) {
        RequestContext.Builder builder = RequestContext.builder().clientId(clientId);
        thing.ifPresent(builder::thing);
        certificate.ifPresent(cert -> builder.certificate(certificateContext(cert)));
        return builder.build();
    }

    private CertificateContext certificateContext(Certificate certificate) {
        CertificateContext context = certificateContexts.get(certificate.id());
        if (context == null) {
            context = CertificateContext.of(CertificateRows.x509(certificate.pem()));
            if (certificateContexts.size() >= PolicyDocuments.MAX_ENTRIES) {
                certificateContexts.clear();
            }
            certificateContexts.put(certificate.id(), context);
        }
        return context;
    }

    private NamedPolicy named(StoredPolicy policy) {
        return new NamedPolicy(policy.name(), Long.toString(policy.version()), documents.get(policy.document()));
    }

    private PolicyRef ref(String policyName) {
        return new PolicyRef(policyName, policyArn(policyName));
    }

    private String policyArn(String policyName) {
        return store.scope.arn("policy", policyName);
    }
}
