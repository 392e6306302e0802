package io.rampart.registry.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.CertificateChains;
import io.rampart.pki.CertificateId;
import io.rampart.pki.IssuedCredentials;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.KeyQuality;
import io.rampart.pki.Pem;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateMode;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.CertificateVerdict;
import io.rampart.registry.Certificates;
import io.rampart.registry.IssuedCertificate;
import io.rampart.registry.RevokedCertificate;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/** Device certificates in {@code reg_certificates}; the built-in CA's revocations in {@code reg_crl_entries}. */
final class SqlCertificates implements Certificates {
    private final Store store;
    private final CertificateAuthority ca;
    private final KeyAlgorithm keyAlgorithm;

    SqlCertificates(Store store, CertificateAuthority ca, KeyAlgorithm keyAlgorithm) {
        this.store = store;
        this.ca = ca;
        this.keyAlgorithm = keyAlgorithm;
    }

    @Override
    public IssuedCertificate createKeysAndCertificate(boolean setAsActive) {
        IssuedCredentials issued = ca.createKeysAndCertificate(keyAlgorithm);
        Certificate certificate = store.db.inTransaction(c -> insert(c, issued.certificate(),
                setAsActive ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE, builtInCaId(), true, CertificateMode.DEFAULT));
        return new IssuedCertificate(certificate, issued.publicKeyPem(), issued.privateKeyPem());
    }

    @Override
    public Certificate createFromCsr(String csrPem, boolean setAsActive) {
        if (csrPem == null || csrPem.isBlank()) {
            throw RampartException.invalidRequest("certificateSigningRequest is required");
        }
        X509Certificate issued = ca.signCsr(csrPem);
        return store.db.inTransaction(c -> insert(c, issued,
                setAsActive ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE, builtInCaId(), true, CertificateMode.DEFAULT));
    }

    @Override
    public Certificate register(String certificatePem, String caCertificatePem, CertificateStatus status, boolean setAsActive) {
        X509Certificate certificate = parseDeviceCertificate(certificatePem);
        CertificateStatus initial = initialStatus(status, setAsActive ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE);
        X509Certificate namedCa = caCertificatePem == null || caCertificatePem.isBlank() ? null : Pem.parseCertificate(caCertificatePem);
        if (ca.issued(certificate) && (namedCa == null || CertificateId.of(namedCa).equals(ca.certificateId()))) {
            return store.db.inTransaction(c -> insert(c, certificate, initial, builtInCaId(), true, CertificateMode.DEFAULT));
        }
        return store.db.inTransaction(c -> {
            String caId = registeredIssuer(c, certificate, namedCa);
            return insert(c, certificate, initial, caId, false, CertificateMode.DEFAULT);
        });
    }

    @Override
    public Certificate registerWithoutCa(String certificatePem, CertificateStatus status) {
        X509Certificate certificate = parseDeviceCertificate(certificatePem);
        CertificateStatus initial = initialStatus(status, CertificateStatus.INACTIVE);
        return store.db.inTransaction(c -> insert(c, certificate, initial, null, false, CertificateMode.SNI_ONLY));
    }

    @Override
    public Certificate update(String certificateId, CertificateStatus newStatus) {
        String id = Validation.certificateId(certificateId);
        if (newStatus != CertificateStatus.ACTIVE && newStatus != CertificateStatus.INACTIVE && newStatus != CertificateStatus.REVOKED) {
            throw RampartException.invalidRequest("newStatus must be ACTIVE, INACTIVE or REVOKED, got " + newStatus
                    + " (certificate transfer is not supported)");
        }
        Instant now = store.now();
        Certificate updated = store.db.inTransaction(c -> {
            Certificate current = CertificateRows.find(c, store.scope, id, store.forUpdate()).orElseThrow(() -> CertificateRows.notFound(id));
            switch (current.status()) {
                case REVOKED -> {
                    if (newStatus != CertificateStatus.REVOKED) {
                        throw new RampartException(ErrorType.CERTIFICATE_STATE, "certificate " + id
                                + " is REVOKED; revocation is final, issue or register a new certificate instead");
                    }
                }
                case PENDING_TRANSFER -> throw new RampartException(ErrorType.CERTIFICATE_STATE, "certificate " + id
                        + " is PENDING_TRANSFER and cannot change status");
                default -> { }
            }
            if (newStatus == CertificateStatus.ACTIVE && current.caCertificateId() != null && !current.caCertificateId().equals(builtInCaId())) {
                boolean caActive = Jdbc.first(c, "SELECT status FROM reg_ca_certificates WHERE id = ?", rs -> rs.getString(1),
                        current.caCertificateId()).map(CaCertificateStatus.ACTIVE.name()::equals).orElse(false);
                if (!caActive) {
                    throw new RampartException(ErrorType.CERTIFICATE_STATE, "certificate " + id
                            + " cannot be activated: its CA " + current.caCertificateId() + " is not ACTIVE");
                }
            }
            Jdbc.update(c, "UPDATE reg_certificates SET status = ?, last_modified = ?, customer_version = customer_version + 1,"
                    + " generation_id = ? WHERE id = ?", newStatus.name(), now.toEpochMilli(), Store.newGenerationId(), id);
            if (newStatus == CertificateStatus.REVOKED && current.status() != CertificateStatus.REVOKED
                    && builtInCaId().equals(current.caCertificateId())) {
                Jdbc.update(c, "INSERT INTO reg_crl_entries (serial_number, revocation_date) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        current.serialNumber().toString(), now.toEpochMilli());
            }
            return CertificateRows.find(c, store.scope, id, "").orElseThrow();
        });
        // After the commit: the gateway disconnects live connections of a certificate that is no longer ACTIVE.
        store.events.certificateStatusChanged(id, updated.status());
        return updated;
    }

    @Override
    public void delete(String certificateId, boolean forceDelete) {
        String id = Validation.certificateId(certificateId);
        store.db.inTransaction(c -> {
            Certificate current = CertificateRows.find(c, store.scope, id, store.forUpdate()).orElseThrow(() -> CertificateRows.notFound(id));
            if (current.status() == CertificateStatus.ACTIVE || current.status() == CertificateStatus.PENDING_TRANSFER) {
                // AWS's message, so scripts matching on it keep working.
                throw new RampartException(ErrorType.CERTIFICATE_STATE, "Certificate must be deactivated (not ACTIVE) before deletion. Id: " + id);
            }
            if (Jdbc.exists(c, "SELECT 1 FROM reg_thing_principals WHERE certificate_id = ?", id)) {
                throw new RampartException(ErrorType.DELETE_CONFLICT, "certificate " + id
                        + " is attached to one or more things: detach it with DetachThingPrincipal first");
            }
            boolean hasPolicies = Jdbc.exists(c, "SELECT 1 FROM reg_policy_attachments WHERE target_kind = ? AND target_name = ?",
                    Targets.CERTIFICATE, id);
            if (hasPolicies && !forceDelete) {
                throw new RampartException(ErrorType.DELETE_CONFLICT, "certificate " + id
                        + " has policies attached: detach them with DetachPolicy, or delete with forceDelete");
            }
            Jdbc.update(c, "DELETE FROM reg_policy_attachments WHERE target_kind = ? AND target_name = ?", Targets.CERTIFICATE, id);
            Jdbc.update(c, "DELETE FROM reg_certificates WHERE id = ?", id);
            return null;
        });
    }

    @Override
    public Certificate describe(String certificateId) {
        String id = Validation.certificateId(certificateId);
        return store.db.query(c -> CertificateRows.find(c, store.scope, id, "")).orElseThrow(() -> CertificateRows.notFound(id));
    }

    @Override
    public Page<Certificate> list(Page.Request page, boolean ascendingOrder) {
        return store.db.query(c -> listWhere(c, null, page, ascendingOrder));
    }

    @Override
    public Page<Certificate> listByCa(String caCertificateId, Page.Request page, boolean ascendingOrder) {
        String caId = Validation.certificateId(caCertificateId);
        return store.db.query(c -> {
            if (!caId.equals(builtInCaId()) && !Jdbc.exists(c, "SELECT 1 FROM reg_ca_certificates WHERE id = ?", caId)) {
                throw RampartException.notFound("CA certificate '" + caId + "' does not exist");
            }
            return listWhere(c, caId, page, ascendingOrder);
        });
    }

    @Override
    public CertificateVerdict verify(String certificateId) {
        String id = Validation.certificateId(certificateId);
        record Row(Certificate certificate, String caStatus) {
        }
        Optional<Row> row = store.db.query(c -> Jdbc.first(c, "SELECT " + prefixed("c.", CertificateRows.COLUMNS)
                        + ", ca.status AS ca_status FROM reg_certificates c LEFT JOIN reg_ca_certificates ca ON ca.id = c.ca_id"
                        + " WHERE c.id = ?",
                rs -> new Row(CertificateRows.row(store.scope, rs), rs.getString("ca_status")), id));
        if (row.isEmpty()) {
            return new CertificateVerdict.Rejected(CertificateVerdict.Reason.UNKNOWN, "certificate " + id + " is not registered");
        }
        Certificate certificate = row.get().certificate();
        Instant now = store.now();
        if (certificate.status() != CertificateStatus.ACTIVE) {
            return new CertificateVerdict.Rejected(CertificateVerdict.Reason.NOT_ACTIVE,
                    "certificate " + id + " is " + certificate.status());
        }
        // The built-in CA has no row (it is always active); a registered CA must be ACTIVE.
        if (row.get().caStatus() != null && !CaCertificateStatus.ACTIVE.name().equals(row.get().caStatus())) {
            return new CertificateVerdict.Rejected(CertificateVerdict.Reason.CA_NOT_ACTIVE,
                    "the CA " + certificate.caCertificateId() + " of certificate " + id + " is " + row.get().caStatus());
        }
        if (now.isBefore(certificate.notBefore())) {
            return new CertificateVerdict.Rejected(CertificateVerdict.Reason.NOT_YET_VALID,
                    "certificate " + id + " is valid from " + certificate.notBefore());
        }
        if (now.isAfter(certificate.notAfter())) {
            return new CertificateVerdict.Rejected(CertificateVerdict.Reason.EXPIRED,
                    "certificate " + id + " expired on " + certificate.notAfter());
        }
        return new CertificateVerdict.Accepted(certificate);
    }

    private static String prefixed(String prefix, String columns) {
        return String.join(", ", Arrays.stream(columns.split(",\\s*")).map(column -> prefix + column).toList());
    }

    @Override
    public List<RevokedCertificate> revokedByBuiltInCa() {
        return store.db.query(c -> Jdbc.list(c, "SELECT serial_number, revocation_date FROM reg_crl_entries ORDER BY revocation_date",
                rs -> new RevokedCertificate(new BigInteger(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2)))));
    }

    private Page<Certificate> listWhere(Connection c, String caId, Page.Request page, boolean ascending) throws SQLException {
        String list = (caId == null ? "certs" : "certs-by-ca") + (ascending ? "-asc" : "-desc");
        List<String> after = PageTokens.decode(list, page.nextToken(), 2);
        StringBuilder sql = new StringBuilder("SELECT " + CertificateRows.COLUMNS + " FROM reg_certificates WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (caId != null) {
            sql.append(" AND ca_id = ?");
            args.add(caId);
        }
        if (after != null) {
            long date = parseLong(after.get(0));
            String op = ascending ? ">" : "<";
            sql.append(" AND (creation_date ").append(op).append(" ? OR (creation_date = ? AND id ").append(op).append(" ?))");
            args.add(date);
            args.add(date);
            args.add(after.get(1));
        }
        String direction = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY creation_date ").append(direction).append(", id ").append(direction).append(" LIMIT ?");
        args.add(page.maxResults() + 1);
        List<Certificate> rows = Jdbc.list(c, sql.toString(), rs -> CertificateRows.row(store.scope, rs), args.toArray());
        return Pages.of(rows, page.maxResults(),
                last -> PageTokens.encode(list, Long.toString(last.creationDate().toEpochMilli()), last.id()));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RampartException.invalidRequest("nextToken is not valid for this list call: pass the nextToken of the previous page unchanged");
        }
    }

    /** The id of the registered, ACTIVE CA that signed {@code certificate}; errors say what is missing. */
    private String registeredIssuer(Connection c, X509Certificate certificate, X509Certificate namedCa) throws SQLException {
        record Candidate(String id, String pem, String status) {
        }
        List<Candidate> candidates;
        if (namedCa != null) {
            String namedId = CertificateId.of(namedCa).value();
            candidates = Jdbc.list(c, "SELECT id, pem, status FROM reg_ca_certificates WHERE id = ?",
                    rs -> new Candidate(rs.getString(1), rs.getString(2), rs.getString(3)), namedId);
            if (candidates.isEmpty()) {
                // AWS RegisterCertificate has no ResourceNotFoundException: an unknown CA fails validation.
                throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "the CA certificate " + namedId
                        + " is not registered: register it with RegisterCACertificate first");
            }
        } else {
            String issuer = certificate.getIssuerX500Principal().getName(X500Principal.CANONICAL);
            candidates = Jdbc.list(c, "SELECT id, pem, status FROM reg_ca_certificates WHERE subject = ?",
                    rs -> new Candidate(rs.getString(1), rs.getString(2), rs.getString(3)), issuer);
        }
        Optional<Candidate> signer = candidates.stream()
                .filter(candidate -> CertificateChains.isSignedBy(certificate, CertificateRows.x509(candidate.pem())))
                .findFirst();
        if (signer.isEmpty()) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, namedCa != null
                    ? "the certificate is not signed by the given CA certificate"
                    : "no registered CA issued this certificate (issuer " + certificate.getIssuerX500Principal().getName()
                    + "): register the CA with RegisterCACertificate, or use RegisterCertificateWithoutCA");
        }
        if (!CaCertificateStatus.ACTIVE.name().equals(signer.get().status())) {
            throw new RampartException(ErrorType.CERTIFICATE_STATE, "the CA certificate " + signer.get().id()
                    + " that issued this certificate is INACTIVE: activate it with UpdateCACertificate first");
        }
        return signer.get().id();
    }

    private X509Certificate parseDeviceCertificate(String pem) {
        if (pem == null || pem.isBlank()) {
            throw RampartException.invalidRequest("certificatePem is required");
        }
        X509Certificate certificate = Pem.parseCertificate(pem);
        KeyQuality.requireAcceptable(certificate.getPublicKey());
        if (certificate.getNotAfter().toInstant().isBefore(store.now())) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "the certificate expired on "
                    + certificate.getNotAfter().toInstant());
        }
        return certificate;
    }

    private static CertificateStatus initialStatus(CertificateStatus requested, CertificateStatus otherwise) {
        if (requested == null) {
            return otherwise;
        }
        if (requested != CertificateStatus.ACTIVE && requested != CertificateStatus.INACTIVE) {
            throw RampartException.invalidRequest("a certificate can be registered ACTIVE or INACTIVE, got " + requested);
        }
        return requested;
    }

    private Certificate insert(Connection c, X509Certificate certificate, CertificateStatus status, String caId,
                               boolean builtIn, CertificateMode mode) throws SQLException {
        String id = CertificateId.of(certificate).value();
        Instant now = store.now();
        String pem = Pem.encodeCertificate(certificate);
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        String generation = Store.newGenerationId();
        store.insert(c, "certificate " + id + " is already registered",
                "INSERT INTO reg_certificates (" + CertificateRows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, pem, status.name(), caId, builtIn, store.scope.accountId(), now.toEpochMilli(), now.toEpochMilli(),
                notBefore.toEpochMilli(), notAfter.toEpochMilli(), 1, generation, mode.name(),
                certificate.getSerialNumber().toString());
        return new Certificate(id, store.scope.arn(Targets.CERTIFICATE, id), pem, status, caId, store.scope.accountId(), now, now,
                notBefore, notAfter, 1, generation, mode, certificate.getSerialNumber());
    }

    private String builtInCaId() {
        return ca.certificateId().value();
    }
}
