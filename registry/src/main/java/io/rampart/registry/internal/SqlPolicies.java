package io.rampart.registry.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.Policies;
import io.rampart.registry.Policy;
import io.rampart.registry.PolicyRef;
import io.rampart.registry.PolicyVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Policies in {@code reg_policies} and their versions in {@code reg_policy_versions}. */
final class SqlPolicies implements Policies {
    private final Store store;
    private final PolicyDocuments documents;

    SqlPolicies(Store store, PolicyDocuments documents) {
        this.store = store;
        this.documents = documents;
    }

    @Override
    public PolicyVersion create(String policyName, String document) {
        Validation.policyName(policyName);
        documents.validate(document);
        Instant now = store.now();
        String generation = Store.newGenerationId();
        return store.db.inTransaction(c -> {
            store.insert(c, "policy '" + policyName + "' already exists",
                    "INSERT INTO reg_policies (name, default_version, next_version, generation_id, creation_date, last_modified)"
                            + " VALUES (?, ?, ?, ?, ?, ?)",
                    policyName, 1L, 2L, generation, now.toEpochMilli(), now.toEpochMilli());
            Jdbc.update(c, "INSERT INTO reg_policy_versions (policy_name, version, document, creation_date) VALUES (?, ?, ?, ?)",
                    policyName, 1L, document, now.toEpochMilli());
            return new PolicyVersion(policyName, arn(policyName), "1", document, true, now, now, generation);
        });
    }

    @Override
    public Policy get(String policyName) {
        Validation.policyName(policyName);
        return store.db.query(c -> Jdbc.first(c,
                "SELECT p.name, p.default_version, p.generation_id, p.creation_date, p.last_modified, v.document"
                        + " FROM reg_policies p JOIN reg_policy_versions v ON v.policy_name = p.name AND v.version = p.default_version"
                        + " WHERE p.name = ?",
                rs -> new Policy(rs.getString("name"), arn(rs.getString("name")), rs.getString("document"),
                        Long.toString(rs.getLong("default_version")), Instant.ofEpochMilli(rs.getLong("creation_date")),
                        Instant.ofEpochMilli(rs.getLong("last_modified")), rs.getString("generation_id")),
                policyName)).orElseThrow(() -> notFound(policyName));
    }

    @Override
    public void delete(String policyName) {
        Validation.policyName(policyName);
        store.changeAuthorizationInputs(c -> {
            lock(c, policyName);
            if (Jdbc.exists(c, "SELECT 1 FROM reg_policy_attachments WHERE policy_name = ?", policyName)) {
                throw new RampartException(ErrorType.DELETE_CONFLICT,
                        "The policy cannot be deleted as the policy is attached to one or more principals (name=" + policyName + ")");
            }
            if (Jdbc.count(c, "SELECT COUNT(*) FROM reg_policy_versions WHERE policy_name = ?", policyName) > 1) {
                throw new RampartException(ErrorType.DELETE_CONFLICT, "The policy cannot be deleted as versions other than"
                        + " the default version exist (name=" + policyName + "): delete them with DeletePolicyVersion first");
            }
            Jdbc.update(c, "DELETE FROM reg_policies WHERE name = ?", policyName);
            return null;
        });
    }

    @Override
    public Page<PolicyRef> list(Page.Request page) {
        List<String> after = PageTokens.decode("policies", page.nextToken(), 1);
        List<PolicyRef> rows = store.db.query(c -> after == null
                ? Jdbc.list(c, "SELECT name FROM reg_policies ORDER BY name LIMIT ?", this::ref, page.maxResults() + 1)
                : Jdbc.list(c, "SELECT name FROM reg_policies WHERE name > ? ORDER BY name LIMIT ?", this::ref,
                        after.getFirst(), page.maxResults() + 1));
        return Pages.of(rows, page.maxResults(), last -> PageTokens.encode("policies", last.policyName()));
    }

    @Override
    public PolicyVersion createVersion(String policyName, String document, boolean setAsDefault) {
        Validation.policyName(policyName);
        documents.validate(document);
        Instant now = store.now();
        String generation = Store.newGenerationId();
        return store.changeAuthorizationInputs(c -> {
            long version = Jdbc.first(c, "SELECT next_version FROM reg_policies WHERE name = ?" + store.forUpdate(),
                    rs -> rs.getLong(1), policyName).orElseThrow(() -> notFound(policyName));
            long versions = Jdbc.count(c, "SELECT COUNT(*) FROM reg_policy_versions WHERE policy_name = ?", policyName);
            if (versions >= store.limits.maxPolicyVersions()) {
                throw new RampartException(ErrorType.VERSIONS_LIMIT_EXCEEDED, "policy '" + policyName + "' already has "
                        + versions + " versions, the maximum: delete one with DeletePolicyVersion first");
            }
            Jdbc.update(c, "INSERT INTO reg_policy_versions (policy_name, version, document, creation_date) VALUES (?, ?, ?, ?)",
                    policyName, version, document, now.toEpochMilli());
            if (setAsDefault) {
                Jdbc.update(c, "UPDATE reg_policies SET next_version = ?, default_version = ?, generation_id = ?, last_modified = ? WHERE name = ?",
                        version + 1, version, generation, now.toEpochMilli(), policyName);
            } else {
                Jdbc.update(c, "UPDATE reg_policies SET next_version = ?, last_modified = ? WHERE name = ?",
                        version + 1, now.toEpochMilli(), policyName);
            }
            String currentGeneration = Jdbc.first(c, "SELECT generation_id FROM reg_policies WHERE name = ?",
                    rs -> rs.getString(1), policyName).orElseThrow();
            return new PolicyVersion(policyName, arn(policyName), Long.toString(version), document, setAsDefault, now, now,
                    currentGeneration);
        });
    }

    @Override
    public PolicyVersion getVersion(String policyName, String versionId) {
        Validation.policyName(policyName);
        long version = Validation.policyVersionId(versionId);
        return store.db.query(c -> {
            requireExists(c, policyName);
            return versions(c, policyName, version).stream().findFirst().orElseThrow(() -> RampartException.notFound(
                    "policy '" + policyName + "' has no version " + versionId));
        });
    }

    @Override
    public List<PolicyVersion> listVersions(String policyName) {
        Validation.policyName(policyName);
        return store.db.query(c -> {
            requireExists(c, policyName);
            return versions(c, policyName, null);
        });
    }

    @Override
    public void deleteVersion(String policyName, String versionId) {
        Validation.policyName(policyName);
        long version = Validation.policyVersionId(versionId);
        store.db.inTransaction(c -> {
            long defaultVersion = lock(c, policyName);
            if (version == defaultVersion) {
                throw new RampartException(ErrorType.DELETE_CONFLICT, "Cannot delete the default version " + versionId
                        + " of policy '" + policyName + "': make another version the default first, or delete the policy");
            }
            if (Jdbc.update(c, "DELETE FROM reg_policy_versions WHERE policy_name = ? AND version = ?", policyName, version) == 0) {
                throw RampartException.notFound("policy '" + policyName + "' has no version " + versionId);
            }
            return null;
        });
    }

    @Override
    public void setDefaultVersion(String policyName, String versionId) {
        Validation.policyName(policyName);
        long version = Validation.policyVersionId(versionId);
        Instant now = store.now();
        store.changeAuthorizationInputs(c -> {
            lock(c, policyName);
            if (!Jdbc.exists(c, "SELECT 1 FROM reg_policy_versions WHERE policy_name = ? AND version = ?", policyName, version)) {
                throw RampartException.notFound("policy '" + policyName + "' has no version " + versionId);
            }
            Jdbc.update(c, "UPDATE reg_policies SET default_version = ?, generation_id = ?, last_modified = ? WHERE name = ?",
                    version, Store.newGenerationId(), now.toEpochMilli(), policyName);
            return null;
        });
    }

    /** Locks the policy row (PostgreSQL) and returns its default version, or ResourceNotFoundException. */
    private long lock(Connection c, String policyName) throws SQLException {
        return Jdbc.first(c, "SELECT default_version FROM reg_policies WHERE name = ?" + store.forUpdate(),
                rs -> rs.getLong(1), policyName).orElseThrow(() -> notFound(policyName));
    }

    private void requireExists(Connection c, String policyName) throws SQLException {
        if (!Jdbc.exists(c, "SELECT 1 FROM reg_policies WHERE name = ?", policyName)) {
            throw notFound(policyName);
        }
    }

    private List<PolicyVersion> versions(Connection c, String policyName, Long onlyVersion) throws SQLException {
        String sql = "SELECT v.version, v.document, v.creation_date, p.default_version, p.generation_id, p.last_modified"
                + " FROM reg_policy_versions v JOIN reg_policies p ON p.name = v.policy_name WHERE v.policy_name = ?"
                + (onlyVersion != null ? " AND v.version = ?" : "") + " ORDER BY v.version DESC";
        Object[] args = onlyVersion != null ? new Object[] {policyName, onlyVersion} : new Object[] {policyName};
        return Jdbc.list(c, sql, rs -> version(policyName, rs), args);
    }

    private PolicyVersion version(String policyName, ResultSet rs) throws SQLException {
        long version = rs.getLong("version");
        Instant created = Instant.ofEpochMilli(rs.getLong("creation_date"));
        return new PolicyVersion(policyName, arn(policyName), Long.toString(version), rs.getString("document"),
                version == rs.getLong("default_version"), created, Instant.ofEpochMilli(rs.getLong("last_modified")),
                rs.getString("generation_id"));
    }

    private PolicyRef ref(ResultSet rs) throws SQLException {
        return new PolicyRef(rs.getString(1), arn(rs.getString(1)));
    }

    private String arn(String policyName) {
        return store.scope.arn("policy", policyName);
    }

    private static RampartException notFound(String policyName) {
        return RampartException.notFound("policy '" + policyName + "' does not exist");
    }
}
