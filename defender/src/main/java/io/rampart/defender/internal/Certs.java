package io.rampart.defender.internal;

import io.rampart.defender.AuditResource;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import io.rampart.pki.CertificateId;
import io.rampart.registry.CaCertificate;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateStatus;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The certificates the certificate checks look at. */
final class Certs {
    private Certs() {
    }

    /** A CA the audit judges: a registered ACTIVE CA, or the node's built-in CA. */
    record AuditedCa(String id, String pem, X509Certificate builtIn, Instant notAfter, String label) {
        AuditResource resource(Map<String, String> info) {
            return new AuditResource(ResourceType.CA_CERTIFICATE, ResourceIdentifier.caCertificate(id), info);
        }
    }

    /** Registered CAs that are ACTIVE, then the built-in CA (AWS: the CA checks apply to ACTIVE CA certificates). */
    static List<AuditedCa> activeCas(AuditSnapshot snapshot) {
        List<AuditedCa> cas = new ArrayList<>();
        for (CaCertificate ca : snapshot.caCertificates().get()) {
            if (ca.status() == CaCertificateStatus.ACTIVE) {
                cas.add(new AuditedCa(ca.id(), ca.pem(), null, ca.notAfter(), "CA certificate " + ca.id()));
            }
        }
        snapshot.facts().builtInCa().ifPresent(ca -> cas.add(new AuditedCa(CertificateId.of(ca).value(), null, ca,
                ca.getNotAfter().toInstant(), "the node's built-in CA certificate")));
        return cas;
    }

    /** Device certificates that can authenticate or be transferred: ACTIVE or PENDING_TRANSFER, as AWS audits. */
    static List<Certificate> activeDeviceCertificates(AuditSnapshot snapshot) {
        return snapshot.certificates().get().stream()
                .filter(c -> c.status() == CertificateStatus.ACTIVE || c.status() == CertificateStatus.PENDING_TRANSFER)
                .toList();
    }

    static AuditResource device(Certificate certificate, Map<String, String> info) {
        return new AuditResource(ResourceType.DEVICE_CERTIFICATE, ResourceIdentifier.deviceCertificate(certificate.id()),
                info);
    }
}
