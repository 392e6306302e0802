package io.rampart.defender.internal;

import io.rampart.defender.CheckConfiguration;
import io.rampart.registry.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DEVICE_CERTIFICATE_AGE_CHECK: ACTIVE or PENDING_TRANSFER certificates registered at least
 * CERT_AGE_THRESHOLD_IN_DAYS (default 365) before the audit.
 */
record CertificateAge() implements Check {
    static final String CODE = "CERTIFICATE_PAST_AGE_THRESHOLD";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        int threshold = configuration.days(CheckConfiguration.CERT_AGE_THRESHOLD_IN_DAYS, 365);
        List<Certificate> certificates = Certs.activeDeviceCertificates(snapshot);
        List<Found> found = new ArrayList<>();
        for (Certificate certificate : certificates) {
            long days = Duration.between(certificate.creationDate(), snapshot.start()).toDays();
            if (days >= threshold) {
                found.add(new Found(Certs.device(certificate, Map.of("creationDate", certificate.creationDate().toString(),
                        "ageInDays", Long.toString(days), "thresholdInDays", Integer.toString(threshold))), List.of(),
                        "The device certificate " + certificate.id() + " was created " + days + " days ago, at or past"
                                + " the threshold of " + threshold + " days", CODE));
            }
        }
        return new Outcome(certificates.size(), found, null);
    }
}
