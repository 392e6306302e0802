package io.rampart.defender.internal;

import io.rampart.defender.AuditResource;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import io.rampart.pki.Pem;
import io.rampart.registry.CaCertificate;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK, as Rampart can know it: Rampart reads no issuer's
 * revocation list, and withdrawing a registered CA is setting it INACTIVE. So this reports device certificates that
 * are still ACTIVE while the registered CA that issued them is INACTIVE: they cannot connect now, but reactivating
 * the CA would let them in again without anyone deciding so for each device.
 */
record InactiveIssuer() implements Check {
    static final String CODE = "ISSUER_CA_INACTIVE";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Map<String, CaCertificate> inactive = snapshot.caCertificates().get().stream()
                .filter(ca -> ca.status() == CaCertificateStatus.INACTIVE)
                .collect(Collectors.toMap(CaCertificate::id, ca -> ca));
        List<Certificate> issuedByRegisteredCas = Certs.activeDeviceCertificates(snapshot).stream()
                .filter(c -> c.caCertificateId() != null).toList();
        List<Found> found = new ArrayList<>();
        for (Certificate certificate : issuedByRegisteredCas) {
            CaCertificate issuer = inactive.get(certificate.caCertificateId());
            if (issuer == null) {
                continue;
            }
            X509Certificate ca = Pem.parseCertificate(issuer.pem());
            AuditResource resource = new AuditResource(ResourceType.ISSUER_CERTIFICATE, ResourceIdentifier.issuer(
                    ca.getSubjectX500Principal().getName(), issuer.id(), ca.getSerialNumber().toString(16),
                    certificate.arn()), Map.of("deviceCertificateId", certificate.id()));
            found.add(new Found(resource, List.of(Certs.device(certificate, Map.of())), "The device certificate "
                    + certificate.id() + " is ACTIVE but the CA certificate " + issuer.id() + " that issued it is INACTIVE",
                    CODE));
        }
        return new Outcome(issuedByRegisteredCas.size(), found, null);
    }
}
