package io.rampart.bench.defender;

import io.rampart.bench.ScratchDatabase;
import io.rampart.common.AwsScope;
import io.rampart.defender.AuditCheckName;
import io.rampart.defender.AuditTask;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.DefenderService;
import io.rampart.defender.IotLogLevel;
import io.rampart.defender.NodeFacts;
import io.rampart.messaging.ClientConnection;
import io.rampart.messaging.ConnectionEvent;
import io.rampart.messaging.DisconnectReason;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.SubstitutionMode;
import io.rampart.registry.Certificate;
import io.rampart.registry.Registry;
import io.rampart.registry.RegistryLimits;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long one full Device Defender audit (every check Rampart runs) takes on a fleet of N things, each with its own
 * ACTIVE certificate from the built-in CA and one recorded connection, plus a few policies (one overly permissive,
 * one escaping its namespace, one safe, one with a misconfigured Deny), on SQLite or PostgreSQL.
 *
 * <pre>bin/bench --main io.rampart.bench.defender.AuditTime [THINGS=10000] [sqlite|postgresql]</pre>
 */
public final class AuditTime {
    private AuditTime() {
    }

    public static void main(String[] args) throws Exception {
        int things = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String kind = args.length > 1 ? args[1] : "sqlite";
        AwsScope scope = AwsScope.defaults();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        try (ScratchDatabase scratch = ScratchDatabase.open(kind, "audit.db")) {
            CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Audit bench CA", clock, random);
            Registry registry = Registry.open(scratch.database(), ca, new PolicyEngine(scope, clock), scope, clock,
                    RegistryLimits.defaults(), KeyAlgorithm.EC_P256, random);
            try (DefenderService defender = DefenderService.open(scratch.database(), registry, new NodeFacts(scope,
                    SubstitutionMode.STRICT, Optional.of(ca.certificate()), Optional.empty(),
                    Optional.of(() -> IotLogLevel.INFO)), clock)) {
                long building = System.nanoTime();
                registry.policies().create("device", """
                        {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/${iot:ClientId}"},
                          {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:us-east-1:000000000000:topic/devices/${iot:ClientId}/*"},
                          {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/devices/${iot:ClientId}/*"}]}""");
                registry.policies().create("escaping", """
                        {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/devices/${iot:ClientId}*"}]}""");
                registry.policies().create("wide-open", """
                        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}""");
                registry.policies().create("deny-with-wildcard", """
                        {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/building/*"},
                          {"Effect": "Deny", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/building/control/#"}]}""");
                Instant connected = clock.instant().minus(Duration.ofHours(1));
                for (int i = 0; i < things; i++) {
                    String name = "thing-" + i;
                    registry.things().create(name, null, Map.of());
                    Certificate certificate = registry.certificates().createKeysAndCertificate(true).certificate();
                    registry.attachments().attachThingPrincipal(name, certificate.arn());
                    ClientConnection connection = new ClientConnection(name, certificate.id(), "10.0." + (i / 250) + "."
                            + (i % 250), "session-" + i, name);
                    defender.onEvent(new ConnectionEvent.Connected(connection, connected, false, 1));
                    defender.onEvent(new ConnectionEvent.Disconnected(connection, connected.plusSeconds(60), true,
                            DisconnectReason.CLIENT_INITIATED_DISCONNECT, 2));
                }
                Map<AuditCheckName, CheckConfiguration> all = new EnumMap<>(AuditCheckName.class);
                AuditCheckName.applicableChecks().forEach(check -> all.put(check, new CheckConfiguration(true, Map.of())));
                defender.updateConfiguration(null, all);
                // An audit first waits for the connection events handed over before it: a first, small audit drains
                // them so the timed one measures the audit alone.
                defender.runOnDemandAudit(java.util.List.of(AuditCheckName.LOGGING_DISABLED_CHECK));
                System.out.printf("fleet of %,d things and certificates (+%,d connections, 4 policies) built on %s in %.1f s%n",
                        things, things, kind, (System.nanoTime() - building) / 1e9);

                long start = System.nanoTime();
                AuditTask task = defender.runOnDemandAudit(AuditCheckName.applicableChecks());
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("full audit (%d checks): %s in %.2f s%n", task.auditDetails().size(), task.taskStatus(),
                        seconds);
                task.auditDetails().forEach((check, details) -> System.out.printf("  %-62s %-24s resources %,7d findings %,d%n",
                        check, details.checkRunStatus(), details.totalResourcesCount(),
                        details.nonCompliantResourcesCount()));
            }
        }
    }
}
