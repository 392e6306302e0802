package io.rampart.defender.internal;

import io.rampart.defender.AuditResource;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import io.rampart.pki.CertificateId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DEVICE_CERTIFICATE_SHARED_CHECK: one certificate used by connections that were open at the same time with different
 * client ids (one device cannot hold two connections under two ids; several devices sharing a key can). Looks at
 * the connections of the audit's window. Plain-listener clients (whose principal is a policy name) are not
 * certificates and are skipped.
 */
record SharedCertificate() implements Check {
    static final String CODE = "CERTIFICATE_SHARED_BY_CONCURRENT_CONNECTIONS";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Map<String, List<ConnectionHistory.Session>> byPrincipal = new LinkedHashMap<>();
        for (ConnectionHistory.Session session : snapshot.sessions().get()) {
            if (CertificateId.isValid(session.principalId())) {
                byPrincipal.computeIfAbsent(session.principalId(), p -> new ArrayList<>()).add(session);
            }
        }
        List<Found> found = new ArrayList<>();
        for (Map.Entry<String, List<ConnectionHistory.Session>> entry : byPrincipal.entrySet()) {
            List<ConnectionHistory.Session> sessions = entry.getValue();
            Set<ConnectionHistory.Session> sharing = new LinkedHashSet<>();
            for (int i = 0; i < sessions.size(); i++) {
                for (int j = i + 1; j < sessions.size(); j++) {
                    ConnectionHistory.Session a = sessions.get(i);
                    ConnectionHistory.Session b = sessions.get(j);
                    if (!a.clientId().equals(b.clientId()) && a.overlaps(b, snapshot.start())) {
                        sharing.add(a);
                        sharing.add(b);
                    }
                }
            }
            if (!sharing.isEmpty()) {
                Set<String> clientIds = new LinkedHashSet<>();
                List<AuditResource> related = new ArrayList<>();
                for (ConnectionHistory.Session session : sharing) {
                    clientIds.add(session.clientId());
                    Map<String, String> info = new LinkedHashMap<>();
                    info.put("sourceIp", session.sourceIp());
                    info.put("connectionTime", session.connectedAt().toString());
                    if (session.disconnectedAt() != null) {
                        info.put("disconnectionTime", session.disconnectedAt().toString());
                    }
                    related.add(new AuditResource(ResourceType.CLIENT_ID, ResourceIdentifier.client(session.clientId()), info));
                }
                found.add(new Found(new AuditResource(ResourceType.DEVICE_CERTIFICATE,
                        ResourceIdentifier.deviceCertificate(entry.getKey()), Map.of("clientIds", String.join(",", clientIds))),
                        related, "The device certificate " + entry.getKey() + " was used by " + clientIds.size()
                        + " client ids connected at the same time (" + String.join(", ", clientIds)
                        + "): several devices share it", CODE));
            }
        }
        return new Outcome(byPrincipal.size(), found, null);
    }
}
