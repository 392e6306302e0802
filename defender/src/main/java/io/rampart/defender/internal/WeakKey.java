package io.rampart.defender.internal;

import io.rampart.defender.CheckConfiguration;

import io.rampart.pki.KeyQuality;
import io.rampart.pki.Pem;
import io.rampart.registry.Certificate;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CA_CERTIFICATE_KEY_QUALITY_CHECK and DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: keys weaker than AWS IoT accepts (RSA
 * under 2048 bits, curves other than NIST P-256/384/521). The registry refuses such keys when they are registered, so
 * a finding here means a certificate that predates the rule or reached the store another way.
 */
record WeakKey(boolean ca) implements Check {
    static final String CODE = "CERTIFICATE_KEY_VULNERABILITY";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        List<Found> found = new ArrayList<>();
        if (ca) {
            List<Certs.AuditedCa> cas = Certs.activeCas(snapshot);
            for (Certs.AuditedCa authority : cas) {
                PublicKey key = authority.builtIn() != null ? authority.builtIn().getPublicKey()
                        : Pem.parseCertificate(authority.pem()).getPublicKey();
                if (!KeyQuality.isAcceptable(key)) {
                    found.add(new Found(authority.resource(Map.of("key", KeyQuality.describe(key))), List.of(),
                            reason(authority.label(), key), CODE));
                }
            }
            return new Outcome(cas.size(), found, null);
        }
        List<Certificate> certificates = Certs.activeDeviceCertificates(snapshot);
        for (Certificate certificate : certificates) {
            PublicKey key = Pem.parseCertificate(certificate.pem()).getPublicKey();
            if (!KeyQuality.isAcceptable(key)) {
                found.add(new Found(Certs.device(certificate, Map.of("key", KeyQuality.describe(key))),
                        List.of(), reason("device certificate " + certificate.id(), key), CODE));
            }
        }
        return new Outcome(certificates.size(), found, null);
    }

    private static String reason(String label, PublicKey key) {
        return "The " + label + " has a weak key (" + KeyQuality.describe(key) + "); AWS IoT requires RSA of at"
                + " least " + KeyQuality.MIN_RSA_BITS + " bits or EC on NIST P-256, P-384 or P-521";
    }
}
