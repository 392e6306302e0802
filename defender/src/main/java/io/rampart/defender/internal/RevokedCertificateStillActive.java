package io.rampart.defender.internal;

import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.RefusedConnection;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK, as Rampart can know it: Rampart is the authority that revokes
 * (REVOKED is final and the gateway refuses it), so "still active" means a REVOKED certificate whose holder is still
 * trying to connect during the audit's window (code {@value #CONNECTING}), or that still had a connection open at the
 * audit's start according to the connection history ({@value #CONNECTED}; the gateway closes such connections at
 * once, so this indicates events the audit missed).
 */
record RevokedCertificateStillActive() implements Check {
    static final String CONNECTING = "REVOKED_CERTIFICATE_STILL_CONNECTING";
    static final String CONNECTED = "REVOKED_CERTIFICATE_STILL_CONNECTED";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Map<String, Certificate> revoked = new LinkedHashMap<>();
        snapshot.certificates().get().stream().filter(c -> c.status() == CertificateStatus.REVOKED)
                .forEach(c -> revoked.put(c.id(), c));
        Map<String, List<RefusedConnection>> attempts = new LinkedHashMap<>();
        for (RefusedConnection refusal : snapshot.refusals().get()) {
            if (refusal.reason() == RefusedConnection.Reason.CERTIFICATE_REVOKED && revoked.containsKey(refusal.certificateId())) {
                attempts.computeIfAbsent(refusal.certificateId(), id -> new ArrayList<>()).add(refusal);
            }
        }
        List<Found> found = new ArrayList<>();
        for (Map.Entry<String, List<RefusedConnection>> entry : attempts.entrySet()) {
            List<RefusedConnection> tries = entry.getValue();
            Set<String> sources = new LinkedHashSet<>();
            tries.forEach(t -> sources.add(t.sourceIp()));
            found.add(new Found(Certs.device(revoked.get(entry.getKey()), Map.of("connectionAttempts",
                    Integer.toString(tries.size()), "lastAttempt", tries.getLast().refusedAt().toString(),
                    "sourceIps", String.join(",", sources))), List.of(), "The device certificate " + entry.getKey()
                    + " is REVOKED but its holder tried to connect " + tries.size() + (tries.size() == 1 ? " time" : " times")
                    + " since " + snapshot.windowStart() + ", last at " + tries.getLast().refusedAt() + " from "
                    + String.join(", ", sources), CONNECTING));
        }
        Set<String> stillOpen = new LinkedHashSet<>();
        for (ConnectionHistory.Session session : snapshot.sessions().get()) {
            if (session.disconnectedAt() == null && revoked.containsKey(session.principalId())
                    && !attempts.containsKey(session.principalId())) {
                stillOpen.add(session.principalId());
            }
        }
        for (String id : stillOpen) {
            found.add(new Found(Certs.device(revoked.get(id), Map.of()), List.of(), "The device certificate " + id
                    + " is REVOKED but the connection history shows a connection using it still open", CONNECTED));
        }
        return new Outcome(revoked.size(), found, null);
    }
}
