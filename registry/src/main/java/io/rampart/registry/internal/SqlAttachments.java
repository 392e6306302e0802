package io.rampart.registry.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.Attachments;
import io.rampart.registry.PolicyRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Policy attachments ({@code reg_policy_attachments}) and thing principals ({@code reg_thing_principals}). */
final class SqlAttachments implements Attachments {
    private final Store store;

    SqlAttachments(Store store) {
        this.store = store;
    }

    @Override
    public void attachPolicy(String policyName, String targetArn) {
        Validation.policyName(policyName);
        Targets.Target target = Targets.policyTarget(store.scope, targetArn);
        store.changeAuthorizationInputs(c -> {
            requirePolicy(c, policyName);
            Targets.requireExists(store, c, target);
            if (attached(c, policyName, target)) {
                return null;
            }
            long count = Jdbc.count(c, "SELECT COUNT(*) FROM reg_policy_attachments WHERE target_kind = ? AND target_name = ?",
                    target.kind(), target.name());
            if (count >= store.limits.maxPoliciesPerTarget()) {
                throw new RampartException(ErrorType.LIMIT_EXCEEDED, "target " + targetArn + " already has " + count
                        + " policies attached, the maximum: detach one first");
            }
            Jdbc.update(c, "INSERT INTO reg_policy_attachments (policy_name, target_kind, target_name) VALUES (?, ?, ?)"
                    + " ON CONFLICT DO NOTHING", policyName, target.kind(), target.name());
            return null;
        });
    }

    @Override
    public void detachPolicy(String policyName, String targetArn) {
        Validation.policyName(policyName);
        Targets.Target target = Targets.policyTarget(store.scope, targetArn);
        store.changeAuthorizationInputs(c -> {
            requirePolicy(c, policyName);
            Targets.requireExists(store, c, target);
            Jdbc.update(c, "DELETE FROM reg_policy_attachments WHERE policy_name = ? AND target_kind = ? AND target_name = ?",
                    policyName, target.kind(), target.name());
            return null;
        });
    }

    @Override
    public Page<String> listTargetsForPolicy(String policyName, Page.Request page) {
        Validation.policyName(policyName);
        List<String> after = PageTokens.decode("policy-targets", page.nextToken(), 2);
        return store.db.query(c -> {
            requirePolicy(c, policyName);
            String sql = "SELECT target_kind, target_name FROM reg_policy_attachments WHERE policy_name = ?"
                    + (after != null ? " AND (target_kind > ? OR (target_kind = ? AND target_name > ?))" : "")
                    + " ORDER BY target_kind, target_name LIMIT ?";
            Object[] args = after != null
                    ? new Object[] {policyName, after.get(0), after.get(0), after.get(1), page.maxResults() + 1}
                    : new Object[] {policyName, page.maxResults() + 1};
            List<Targets.Target> rows = Jdbc.list(c, sql, rs -> new Targets.Target(rs.getString(1), rs.getString(2)), args);
            Page<Targets.Target> targets = Pages.of(rows, page.maxResults(),
                    last -> PageTokens.encode("policy-targets", last.kind(), last.name()));
            return new Page<>(targets.items().stream().map(t -> t.arn(store.scope)).toList(), targets.nextToken());
        });
    }

    @Override
    public Page<PolicyRef> listAttachedPolicies(String targetArn, boolean recursive, Page.Request page) {
        Targets.Target target = Targets.policyTarget(store.scope, targetArn);
        List<String> after = PageTokens.decode("attached-policies", page.nextToken(), 1);
        return store.db.query(c -> {
            Targets.requireExists(store, c, target);
            List<Object> args = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT DISTINCT policy_name FROM reg_policy_attachments WHERE ");
            if (recursive && !target.isCertificate()) {
                // The group and all its ancestors: their policies apply to the group's things too.
                String path = Jdbc.first(c, "SELECT path FROM reg_thing_groups WHERE name = ?", rs -> rs.getString(1),
                        target.name()).orElseThrow();
                List<String> groups = SqlThingGroups.namesOnPath(path);
                sql.append("target_kind = ? AND target_name IN (").append(Jdbc.placeholders(groups.size())).append(")");
                args.add(Targets.THING_GROUP);
                args.addAll(groups);
            } else {
                sql.append("target_kind = ? AND target_name = ?");
                args.add(target.kind());
                args.add(target.name());
            }
            if (after != null) {
                sql.append(" AND policy_name > ?");
                args.add(after.getFirst());
            }
            sql.append(" ORDER BY policy_name LIMIT ?");
            args.add(page.maxResults() + 1);
            List<PolicyRef> rows = Jdbc.list(c, sql.toString(),
                    rs -> new PolicyRef(rs.getString(1), store.scope.arn("policy", rs.getString(1))), args.toArray());
            return Pages.of(rows, page.maxResults(), last -> PageTokens.encode("attached-policies", last.policyName()));
        });
    }

    @Override
    public void attachThingPrincipal(String thingName, String principalArn) {
        Validation.thingName(thingName);
        String certificateId = Targets.certificatePrincipal(store.scope, principalArn);
        store.changeAuthorizationInputs(c -> {
            requireThing(c, thingName);
            Targets.requireCertificate(c, certificateId);
            Jdbc.update(c, "INSERT INTO reg_thing_principals (thing_name, certificate_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    thingName, certificateId);
            return null;
        });
    }

    @Override
    public void detachThingPrincipal(String thingName, String principalArn) {
        Validation.thingName(thingName);
        String certificateId = Targets.certificatePrincipal(store.scope, principalArn);
        store.changeAuthorizationInputs(c -> {
            requireThing(c, thingName);
            Targets.requireCertificate(c, certificateId);
            Jdbc.update(c, "DELETE FROM reg_thing_principals WHERE thing_name = ? AND certificate_id = ?", thingName, certificateId);
            return null;
        });
    }

    @Override
    public Page<String> listThingPrincipals(String thingName, Page.Request page) {
        Validation.thingName(thingName);
        return store.db.query(c -> {
            requireThing(c, thingName);
            Page<String> ids = Pages.ofColumn(c, "reg_thing_principals", "thing_name", thingName, "certificate_id",
                    "thing-principals", page);
            return new Page<>(ids.items().stream().map(id -> store.scope.arn(Targets.CERTIFICATE, id)).toList(), ids.nextToken());
        });
    }

    @Override
    public Page<String> listPrincipalThings(String principalArn, Page.Request page) {
        String certificateId = Targets.certificatePrincipal(store.scope, principalArn);
        return store.db.query(c -> {
            Targets.requireCertificate(c, certificateId);
            return Pages.ofColumn(c, "reg_thing_principals", "certificate_id", certificateId, "thing_name",
                    "principal-things", page);
        });
    }

    private static boolean attached(Connection c, String policyName, Targets.Target target) throws SQLException {
        return Jdbc.exists(c, "SELECT 1 FROM reg_policy_attachments WHERE policy_name = ? AND target_kind = ? AND target_name = ?",
                policyName, target.kind(), target.name());
    }

    private static void requirePolicy(Connection c, String policyName) throws SQLException {
        if (!Jdbc.exists(c, "SELECT 1 FROM reg_policies WHERE name = ?", policyName)) {
            throw RampartException.notFound("policy '" + policyName + "' does not exist");
        }
    }

    private static void requireThing(Connection c, String thingName) throws SQLException {
        if (!Jdbc.exists(c, "SELECT 1 FROM reg_things WHERE name = ?", thingName)) {
            throw RampartException.notFound("thing '" + thingName + "' does not exist");
        }
    }
}
