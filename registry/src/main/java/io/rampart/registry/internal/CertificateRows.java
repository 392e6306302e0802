package io.rampart.registry.internal;

import io.rampart.common.AwsScope;
import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateMode;
import io.rampart.registry.CertificateStatus;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Reading device certificates from {@code reg_certificates}, shared by certificate and authorization queries. */
final class CertificateRows {
    static final String COLUMNS = "id, pem, status, ca_id, built_in, owned_by, creation_date, last_modified, not_before,"
            + " not_after, customer_version, generation_id, mode, serial_number";

    private CertificateRows() {
    }

    static Optional<Certificate> find(Connection c, AwsScope scope, String certificateId, String lockSuffix) throws SQLException {
        return Jdbc.first(c, "SELECT " + COLUMNS + " FROM reg_certificates WHERE id = ?" + lockSuffix,
                rs -> row(scope, rs), certificateId);
    }

    static Certificate row(AwsScope scope, ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        return new Certificate(id, scope.arn(Targets.CERTIFICATE, id), rs.getString("pem"),
                CertificateStatus.valueOf(rs.getString("status")), rs.getString("ca_id"), rs.getString("owned_by"),
                Instant.ofEpochMilli(rs.getLong("creation_date")), Instant.ofEpochMilli(rs.getLong("last_modified")),
                Instant.ofEpochMilli(rs.getLong("not_before")), Instant.ofEpochMilli(rs.getLong("not_after")),
                rs.getInt("customer_version"), rs.getString("generation_id"), CertificateMode.valueOf(rs.getString("mode")),
                new BigInteger(rs.getString("serial_number")));
    }

    static RampartException notFound(String certificateId) {
        return RampartException.notFound("certificate '" + certificateId + "' does not exist");
    }

    /** Parses a stored PEM with the JDK (the registry stored it, so failure means corruption). */
    static X509Certificate x509(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "stored certificate cannot be parsed: " + e.getMessage(), e);
        }
    }
}
