package io.rampart.registry.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.pki.CertificateChains;
import io.rampart.pki.CertificateId;
import io.rampart.pki.KeyQuality;
import io.rampart.pki.Pem;
import io.rampart.pki.RegistrationCodes;
import io.rampart.registry.AutoRegistrationStatus;
import io.rampart.registry.CaCertificate;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.CaCertificateUpdate;
import io.rampart.registry.CaCertificates;
import io.rampart.registry.RegistrationConfig;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/** CA certificates in {@code reg_ca_certificates}; the registration code in {@code reg_settings}. */
final class SqlCaCertificates implements CaCertificates {
    private static final String COLUMNS = "id, pem, subject, status, auto_registration, owned_by, creation_date, last_modified,"
            + " not_before, not_after, customer_version, generation_id, template_body, role_arn, template_name";
    private static final String REGISTRATION_CODE = "ca.registrationCode";
    private final Store store;
    private final SecureRandom random;

    SqlCaCertificates(Store store, SecureRandom random) {
        this.store = store;
        this.random = random;
    }

    @Override
    public String registrationCode() {
        // One code per node, like AWS's one per account and region: generated once, then stable.
        String candidate = RegistrationCodes.generate(random);
        return store.db.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO reg_settings (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING", REGISTRATION_CODE, candidate);
            return Jdbc.first(c, "SELECT value FROM reg_settings WHERE name = ?", rs -> rs.getString(1), REGISTRATION_CODE).orElseThrow();
        });
    }

    @Override
    public void deleteRegistrationCode() {
        int deleted = store.db.inTransaction(c -> Jdbc.update(c, "DELETE FROM reg_settings WHERE name = ?", REGISTRATION_CODE));
        if (deleted == 0) {
            throw RampartException.notFound("there is no registration code to delete; GetRegistrationCode makes one");
        }
    }

    @Override
    public CaCertificate register(String caCertificatePem, String verificationCertificatePem, boolean setAsActive,
                                  boolean allowAutoRegistration, RegistrationConfig registrationConfig) {
        if (caCertificatePem == null || caCertificatePem.isBlank()) {
            throw RampartException.invalidRequest("caCertificate is required");
        }
        if (verificationCertificatePem == null || verificationCertificatePem.isBlank()) {
            throw RampartException.invalidRequest("verificationCertificate is required: sign a certificate whose common name is"
                    + " the registration code (GetRegistrationCode) with the CA's key");
        }
        X509Certificate caCertificate = Pem.parseCertificate(caCertificatePem);
        CertificateChains.requireCa(caCertificate);
        KeyQuality.requireAcceptable(caCertificate.getPublicKey());
        Instant now = store.now();
        if (caCertificate.getNotAfter().toInstant().isBefore(now)) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "the CA certificate expired on "
                    + caCertificate.getNotAfter().toInstant());
        }
        X509Certificate verification = Pem.parseCertificate(verificationCertificatePem);
        RegistrationCodes.verify(caCertificate, verification, registrationCode());
        String id = CertificateId.of(caCertificate).value();
        CaCertificateStatus status = setAsActive ? CaCertificateStatus.ACTIVE : CaCertificateStatus.INACTIVE;
        AutoRegistrationStatus auto = allowAutoRegistration ? AutoRegistrationStatus.ENABLE : AutoRegistrationStatus.DISABLE;
        String generation = Store.newGenerationId();
        String pem = Pem.encodeCertificate(caCertificate);
        return store.db.inTransaction(c -> {
            store.insert(c, "CA certificate " + id + " is already registered",
                    "INSERT INTO reg_ca_certificates (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, pem, caCertificate.getSubjectX500Principal().getName(X500Principal.CANONICAL), status.name(), auto.name(),
                    store.scope.accountId(), now.toEpochMilli(), now.toEpochMilli(),
                    caCertificate.getNotBefore().toInstant().toEpochMilli(), caCertificate.getNotAfter().toInstant().toEpochMilli(),
                    1, generation, registrationConfig == null ? null : registrationConfig.templateBody(),
                    registrationConfig == null ? null : registrationConfig.roleArn(),
                    registrationConfig == null ? null : registrationConfig.templateName());
            return find(c, id, "").orElseThrow();
        });
    }

    @Override
    public CaCertificate update(String caCertificateId, CaCertificateUpdate update) {
        String id = Validation.certificateId(caCertificateId);
        if (update.removeAutoRegistration() && update.registrationConfig() != null) {
            throw RampartException.invalidRequest("give either registrationConfig or removeAutoRegistration, not both");
        }
        Instant now = store.now();
        CaCertificate updated = store.db.inTransaction(c -> {
            CaCertificate current = find(c, id, store.forUpdate()).orElseThrow(() -> notFound(id));
            CaCertificateStatus status = update.newStatus() == null ? current.status() : update.newStatus();
            AutoRegistrationStatus auto = update.newAutoRegistrationStatus() == null
                    ? current.autoRegistrationStatus() : update.newAutoRegistrationStatus();
            RegistrationConfig config = update.removeAutoRegistration() ? null
                    : update.registrationConfig() != null ? update.registrationConfig() : current.registrationConfig();
            Jdbc.update(c, "UPDATE reg_ca_certificates SET status = ?, auto_registration = ?, template_body = ?, role_arn = ?,"
                            + " template_name = ?, last_modified = ?, customer_version = customer_version + 1, generation_id = ? WHERE id = ?",
                    status.name(), auto.name(), config == null ? null : config.templateBody(), config == null ? null : config.roleArn(),
                    config == null ? null : config.templateName(), now.toEpochMilli(), Store.newGenerationId(), id);
            return find(c, id, "").orElseThrow();
        });
        if (update.newStatus() != null) {
            // After the commit: the gateway drops connections of certificates this CA issued once it is not ACTIVE.
            store.events.caCertificateStatusChanged(id, updated.status());
        }
        return updated;
    }

    @Override
    public void delete(String caCertificateId) {
        String id = Validation.certificateId(caCertificateId);
        store.db.inTransaction(c -> {
            CaCertificate current = find(c, id, store.forUpdate()).orElseThrow(() -> notFound(id));
            if (current.status() != CaCertificateStatus.INACTIVE) {
                throw new RampartException(ErrorType.CERTIFICATE_STATE, "CA certificate " + id
                        + " is ACTIVE: set it INACTIVE with UpdateCACertificate before deleting it");
            }
            long issued = Jdbc.count(c, "SELECT COUNT(*) FROM reg_certificates WHERE ca_id = ?", id);
            if (issued > 0) {
                throw new RampartException(ErrorType.CERTIFICATE_STATE, "CA certificate " + id + " still has " + issued
                        + " registered device certificate(s): delete them first (ListCertificatesByCA)");
            }
            Jdbc.update(c, "DELETE FROM reg_ca_certificates WHERE id = ?", id);
            return null;
        });
    }

    @Override
    public CaCertificate describe(String caCertificateId) {
        String id = Validation.certificateId(caCertificateId);
        return store.db.query(c -> find(c, id, "")).orElseThrow(() -> notFound(id));
    }

    @Override
    public Page<CaCertificate> list(Page.Request page, boolean ascendingOrder) {
        String list = ascendingOrder ? "cas-asc" : "cas-desc";
        List<String> after = PageTokens.decode(list, page.nextToken(), 2);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM reg_ca_certificates");
        List<Object> args = new ArrayList<>();
        String op = ascendingOrder ? ">" : "<";
        if (after != null) {
            long date;
            try {
                date = Long.parseLong(after.get(0));
            } catch (NumberFormatException e) {
                throw RampartException.invalidRequest("nextToken is not valid for this list call: pass the nextToken of the previous page unchanged");
            }
            sql.append(" WHERE creation_date ").append(op).append(" ? OR (creation_date = ? AND id ").append(op).append(" ?)");
            args.add(date);
            args.add(date);
            args.add(after.get(1));
        }
        String direction = ascendingOrder ? "ASC" : "DESC";
        sql.append(" ORDER BY creation_date ").append(direction).append(", id ").append(direction).append(" LIMIT ?");
        args.add(page.maxResults() + 1);
        List<CaCertificate> rows = store.db.query(c -> Jdbc.list(c, sql.toString(), this::row, args.toArray()));
        return Pages.of(rows, page.maxResults(),
                last -> PageTokens.encode(list, Long.toString(last.creationDate().toEpochMilli()), last.id()));
    }

    private Optional<CaCertificate> find(Connection c, String id, String lockSuffix) throws SQLException {
        return Jdbc.first(c, "SELECT " + COLUMNS + " FROM reg_ca_certificates WHERE id = ?" + lockSuffix, this::row, id);
    }

    private CaCertificate row(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        String body = rs.getString("template_body");
        String role = rs.getString("role_arn");
        String template = rs.getString("template_name");
        RegistrationConfig config = body == null && role == null && template == null ? null : new RegistrationConfig(body, role, template);
        return new CaCertificate(id, store.scope.arn("cacert", id), rs.getString("pem"),
                CaCertificateStatus.valueOf(rs.getString("status")), AutoRegistrationStatus.valueOf(rs.getString("auto_registration")),
                rs.getString("owned_by"), Instant.ofEpochMilli(rs.getLong("creation_date")),
                Instant.ofEpochMilli(rs.getLong("last_modified")), Instant.ofEpochMilli(rs.getLong("not_before")),
                Instant.ofEpochMilli(rs.getLong("not_after")), rs.getInt("customer_version"), rs.getString("generation_id"), config);
    }

    private static RampartException notFound(String id) {
        return RampartException.notFound("CA certificate '" + id + "' does not exist");
    }
}
