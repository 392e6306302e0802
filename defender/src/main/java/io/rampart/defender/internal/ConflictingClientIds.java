package io.rampart.defender.internal;

import io.rampart.defender.AuditResource;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import io.rampart.messaging.DisconnectReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CONFLICTING_CLIENT_IDS_CHECK: client ids whose connection was taken over by a new connection with the same id
 * (disconnect reason DUPLICATE_CLIENTID) during the audit's window. Related resources: the certificates those
 * connections used, with the disconnection times.
 */
record ConflictingClientIds() implements Check {
    static final String CODE = "DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Map<String, List<ConnectionHistory.Session>> byClient = new LinkedHashMap<>();
        for (ConnectionHistory.Session session : snapshot.sessions().get()) {
            byClient.computeIfAbsent(session.clientId(), id -> new ArrayList<>()).add(session);
        }
        List<Found> found = new ArrayList<>();
        for (Map.Entry<String, List<ConnectionHistory.Session>> entry : byClient.entrySet()) {
            List<ConnectionHistory.Session> takenOver = entry.getValue().stream()
                    .filter(s -> s.disconnectReason() == DisconnectReason.DUPLICATE_CLIENTID).toList();
            if (takenOver.isEmpty()) {
                continue;
            }
            Set<String> principals = new LinkedHashSet<>();
            entry.getValue().forEach(s -> principals.add(s.principalId()));
            List<AuditResource> related = new ArrayList<>();
            for (ConnectionHistory.Session session : takenOver) {
                related.add(new AuditResource(ResourceType.DEVICE_CERTIFICATE,
                        ResourceIdentifier.deviceCertificate(session.principalId()), Map.of("sourceIp", session.sourceIp(),
                        "disconnectionTime", session.disconnectedAt().toString())));
            }
            found.add(new Found(new AuditResource(ResourceType.CLIENT_ID, ResourceIdentifier.client(entry.getKey()),
                    Map.of("principalIds", String.join(",", principals),
                            "disconnections", Integer.toString(takenOver.size()))), related,
                    "The client id " + entry.getKey() + " was used by another connection that took the session over "
                            + takenOver.size() + (takenOver.size() == 1 ? " time" : " times"), CODE));
        }
        return new Outcome(byClient.size(), found, null);
    }
}
