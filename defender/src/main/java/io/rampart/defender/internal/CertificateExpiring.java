package io.rampart.defender.internal;

import io.rampart.defender.CheckConfiguration;
import io.rampart.registry.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CA_CERTIFICATE_EXPIRING_CHECK and DEVICE_CERTIFICATE_EXPIRING_CHECK: certificates that have expired, or expire
 * within the threshold (CAs: 30 days; devices: CERT_EXPIRATION_THRESHOLD_IN_DAYS, default 30).
 */
record CertificateExpiring(boolean ca) implements Check {
    static final String EXPIRING = "CERTIFICATE_EXPIRING";
    static final String EXPIRED = "CERTIFICATE_EXPIRED";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Instant now = snapshot.start();
        List<Found> found = new ArrayList<>();
        if (ca) {
            List<Certs.AuditedCa> cas = Certs.activeCas(snapshot);
            for (Certs.AuditedCa authority : cas) {
                judge(now, authority.notAfter(), CheckConfiguration.CA_EXPIRATION_THRESHOLD_DAYS, authority.label(),
                        info -> found.add(new Found(authority.resource(info), List.of(), reason(authority.label(),
                                authority.notAfter(), now), code(authority.notAfter(), now))));
            }
            return new Outcome(cas.size(), found, null);
        }
        int threshold = configuration.days(CheckConfiguration.CERT_EXPIRATION_THRESHOLD_IN_DAYS, 30);
        List<Certificate> certificates = Certs.activeDeviceCertificates(snapshot);
        for (Certificate certificate : certificates) {
            String label = "device certificate " + certificate.id();
            judge(now, certificate.notAfter(), threshold, label, info -> found.add(new Found(Certs.device(certificate, info),
                    List.of(), reason(label, certificate.notAfter(), now), code(certificate.notAfter(), now))));
        }
        return new Outcome(certificates.size(), found, null);
    }

    private static void judge(Instant now, Instant notAfter, int thresholdDays, String label,
                              java.util.function.Consumer<Map<String, String>> report) {
        if (notAfter.isBefore(now.plus(Duration.ofDays(thresholdDays)))) {
            report.accept(Map.of("notAfter", notAfter.toString(), "thresholdInDays", Integer.toString(thresholdDays)));
        }
    }

    private static String code(Instant notAfter, Instant now) {
        return notAfter.isAfter(now) ? EXPIRING : EXPIRED;
    }

    private static String reason(String label, Instant notAfter, Instant now) {
        if (!notAfter.isAfter(now)) {
            return "The " + label + " expired on " + notAfter;
        }
        long days = Duration.between(now, notAfter).toDays();
        return "The " + label + " expires on " + notAfter + ", in " + days + (days == 1 ? " day" : " days");
    }
}
