package io.rampart.defender.internal;

import io.rampart.defender.AuditResource;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.RefusedConnection;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import io.rampart.registry.CaCertificate;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK, as Rampart can know it: a withdrawn (INACTIVE) registered CA whose device
 * certificates are still trying to connect during the audit's window (the gateway refused them with "CA not
 * active"). Related resources: those device certificates.
 */
record InactiveCaStillUsed() implements Check {
    static final String CODE = "CA_INACTIVE_DEVICES_STILL_CONNECTING";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Map<String, CaCertificate> inactive = new LinkedHashMap<>();
        snapshot.caCertificates().get().stream().filter(ca -> ca.status() == CaCertificateStatus.INACTIVE)
                .forEach(ca -> inactive.put(ca.id(), ca));
        Map<String, String> issuerOf = new LinkedHashMap<>();
        for (Certificate certificate : snapshot.certificates().get()) {
            if (certificate.caCertificateId() != null && inactive.containsKey(certificate.caCertificateId())) {
                issuerOf.put(certificate.id(), certificate.caCertificateId());
            }
        }
        Map<String, Map<String, List<RefusedConnection>>> byCa = new LinkedHashMap<>();
        for (RefusedConnection refusal : snapshot.refusals().get()) {
            String ca = issuerOf.get(refusal.certificateId());
            if (refusal.reason() == RefusedConnection.Reason.CA_NOT_ACTIVE && ca != null) {
                byCa.computeIfAbsent(ca, id -> new LinkedHashMap<>())
                        .computeIfAbsent(refusal.certificateId(), id -> new ArrayList<>()).add(refusal);
            }
        }
        List<Found> found = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<RefusedConnection>>> entry : byCa.entrySet()) {
            List<AuditResource> related = new ArrayList<>();
            int total = 0;
            for (Map.Entry<String, List<RefusedConnection>> device : entry.getValue().entrySet()) {
                Set<String> sources = new LinkedHashSet<>();
                device.getValue().forEach(r -> sources.add(r.sourceIp()));
                total += device.getValue().size();
                related.add(new AuditResource(ResourceType.DEVICE_CERTIFICATE,
                        ResourceIdentifier.deviceCertificate(device.getKey()), Map.of("connectionAttempts",
                        Integer.toString(device.getValue().size()), "lastAttempt",
                        device.getValue().getLast().refusedAt().toString(), "sourceIps", String.join(",", sources))));
            }
            found.add(new Found(new AuditResource(ResourceType.CA_CERTIFICATE,
                    ResourceIdentifier.caCertificate(entry.getKey()), Map.of("connectionAttempts", Integer.toString(total))),
                    related, "The CA certificate " + entry.getKey() + " is INACTIVE but " + entry.getValue().size()
                    + " device certificates it issued tried to connect " + total + " times since "
                    + snapshot.windowStart(), CODE));
        }
        return new Outcome(inactive.size(), found, null);
    }
}
