package io.rampart.defender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.AwsScope;
import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.messaging.ClientConnection;
import io.rampart.messaging.ConnectionEvent;
import io.rampart.messaging.DisconnectReason;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.Pem;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.policy.SubstitutionMode;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.Registry;
import io.rampart.store.MutableClock;
import io.rampart.store.TestDatabase;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit on a real registry and database (SQLite and PostgreSQL by the two subclasses): configuration, on-demand
 * tasks, the certificate, policy and connection checks, findings and suppressions. Each test builds its own
 * resources in the shared registry and looks only at findings about them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DefenderServiceContract {
    private static final AwsScope SCOPE = AwsScope.defaults();
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    /** Allows every action on everything. */
    static final String WIDE_OPEN = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}""";
    /** Confines a device to devices/<client id>/..., except that the subscribe grant has no '/' after the id. */
    static final String ESCAPING = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/${iot:ClientId}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:us-east-1:000000000000:topic/devices/${iot:ClientId}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/devices/${iot:ClientId}*"}
            ]}""";
    /** Confines a device to devices/<client id>/... */
    static final String SAFE = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/${iot:ClientId}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:us-east-1:000000000000:topic/devices/${iot:ClientId}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/devices/${iot:ClientId}/*"}
            ]}""";

    private final MutableClock clock = new MutableClock(START);
    private Registry registry;
    private DefenderService defender;
    private CertificateAuthority foreignCa;
    private NodeFacts facts;
    private IotLogLevel logLevel = IotLogLevel.INFO;

    @BeforeAll
    void open(TestDatabase testDb) {
        SecureRandom random = new SecureRandom();
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Defender Test Root", clock, random);
        foreignCa = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Elsewhere", clock, random);
        registry = Registry.open(testDb.database(), ca, new PolicyEngine(SCOPE, clock), SCOPE, clock);
        facts = new NodeFacts(SCOPE, SubstitutionMode.STRICT, Optional.of(ca.certificate()),
                Optional.of(new NodeFacts.PlainListener("127.0.0.1", 1884, "plain-policy")),
                Optional.of(() -> logLevel));
        defender = DefenderService.open(testDb.database(), registry, facts, clock);
        Map<AuditCheckName, CheckConfiguration> all = new java.util.EnumMap<>(AuditCheckName.class);
        AuditCheckName.applicableChecks().forEach(check -> all.put(check, new CheckConfiguration(true, Map.of())));
        defender.updateConfiguration("arn:aws:iam::000000000000:role/audit", all);
    }

    @AfterAll
    void close() {
        defender.close();
    }

    private AuditTask audit(AuditCheckName... checks) {
        AuditTask task = defender.runOnDemandAudit(List.of(checks));
        assertThat(task.taskStatus()).isEqualTo(AuditTaskStatus.COMPLETED);
        return task;
    }

    private List<AuditFinding> findings(AuditTask task, boolean includeSuppressed) {
        return defender.listFindings(new FindingQuery(task.taskId(), null, null, null, null, includeSuppressed),
                Page.Request.first(250)).items();
    }

    private static List<AuditFinding> about(List<AuditFinding> findings, ResourceIdentifier resource) {
        return findings.stream().filter(f -> f.nonCompliantResource().resourceIdentifier().equals(resource)).toList();
    }

    private Certificate registerShortLived(Duration validity) {
        var keys = KeyAlgorithm.EC_P256.generate(new SecureRandom());
        String pem = Pem.encodeCertificate(foreignCa.issue(keys.getPublic(), "CN=short-lived", validity));
        return registry.certificates().registerWithoutCa(pem, CertificateStatus.ACTIVE);
    }

    private static void expectError(ErrorType type, String message, Callable<?> call) {
        assertThatThrownBy(call::call).isInstanceOfSatisfying(RampartException.class, e -> {
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void theConfigurationListsEveryCheckAndRefusesChecksRampartCannotRun() {
        AuditConfiguration configuration = defender.describeConfiguration();
        assertThat(configuration.roleArn()).isEqualTo("arn:aws:iam::000000000000:role/audit");
        assertThat(configuration.auditCheckConfigurations()).hasSize(AuditCheckName.values().length);
        assertThat(configuration.check(AuditCheckName.DEVICE_CERTIFICATE_SHARED_CHECK).enabled()).isTrue();
        assertThat(configuration.check(AuditCheckName.IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK).enabled()).isFalse();

        expectError(ErrorType.INVALID_REQUEST, "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK cannot be enabled: Rampart has no role aliases",
                () -> {
                    defender.updateConfiguration(null, Map.of(AuditCheckName.IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK,
                            new CheckConfiguration(true, Map.of())));
                    return null;
                });
        expectError(ErrorType.INVALID_REQUEST, "CERT_AGE_THRESHOLD_IN_DAYS must be between 30 and 3652 days, got 7", () -> {
            defender.updateConfiguration(null, Map.of(AuditCheckName.DEVICE_CERTIFICATE_AGE_CHECK,
                    new CheckConfiguration(true, Map.of(CheckConfiguration.CERT_AGE_THRESHOLD_IN_DAYS, "7"))));
            return null;
        });
        expectError(ErrorType.INVALID_REQUEST, "LOGGING_DISABLED_CHECK has no setting 'CERT_AGE_THRESHOLD_IN_DAYS'", () -> {
            defender.updateConfiguration(null, Map.of(AuditCheckName.LOGGING_DISABLED_CHECK,
                    new CheckConfiguration(true, Map.of(CheckConfiguration.CERT_AGE_THRESHOLD_IN_DAYS, "40"))));
            return null;
        });
        expectError(ErrorType.INVALID_REQUEST, "targetCheckNames must name at least one check",
                () -> defender.startOnDemandAudit(List.of()));
    }

    @Test
    void aDisabledCheckCannotBeAuditedUntilEnabled() {
        defender.updateConfiguration(null, Map.of(AuditCheckName.LOGGING_DISABLED_CHECK, CheckConfiguration.disabled()));
        try {
            expectError(ErrorType.INVALID_REQUEST, "LOGGING_DISABLED_CHECK is not enabled for this account",
                    () -> defender.startOnDemandAudit(List.of(AuditCheckName.LOGGING_DISABLED_CHECK)));
        } finally {
            defender.updateConfiguration(null, Map.of(AuditCheckName.LOGGING_DISABLED_CHECK,
                    new CheckConfiguration(true, Map.of())));
        }
    }

    @Test
    void expiringAndAgedCertificatesAreFoundWithTheirReasonCodes() {
        Certificate shortLived = registerShortLived(Duration.ofDays(10));
        Certificate longLived = registry.certificates().createKeysAndCertificate(true).certificate();
        AuditTask task = audit(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK, AuditCheckName.DEVICE_CERTIFICATE_AGE_CHECK);
        List<AuditFinding> findings = findings(task, true);
        assertThat(about(findings, ResourceIdentifier.deviceCertificate(shortLived.id())))
                .singleElement().satisfies(f -> {
                    assertThat(f.checkName()).isEqualTo(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK);
                    assertThat(f.reasonForNonComplianceCode()).isEqualTo("CERTIFICATE_EXPIRING");
                    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(f.nonCompliantResource().resourceType()).isEqualTo(ResourceType.DEVICE_CERTIFICATE);
                    assertThat(f.reasonForNonCompliance()).contains("in 10 days");
                    assertThat(f.taskId()).isEqualTo(task.taskId());
                });
        assertThat(about(findings, ResourceIdentifier.deviceCertificate(longLived.id()))).isEmpty();
        CheckDetails expiring = task.auditDetails().get(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK);
        assertThat(expiring.checkRunStatus()).isEqualTo(CheckRunStatus.COMPLETED_NON_COMPLIANT);
        assertThat(expiring.totalResourcesCount()).isGreaterThanOrEqualTo(2);

        clock.advance(Duration.ofDays(400));
        try {
            List<AuditFinding> later = findings(audit(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK,
                    AuditCheckName.DEVICE_CERTIFICATE_AGE_CHECK), true);
            assertThat(about(later, ResourceIdentifier.deviceCertificate(shortLived.id())))
                    .extracting(AuditFinding::reasonForNonComplianceCode)
                    .containsExactlyInAnyOrder("CERTIFICATE_EXPIRED", "CERTIFICATE_PAST_AGE_THRESHOLD");
            assertThat(about(later, ResourceIdentifier.deviceCertificate(longLived.id())))
                    .extracting(AuditFinding::reasonForNonComplianceCode)
                    .containsExactly("CERTIFICATE_PAST_AGE_THRESHOLD");
        } finally {
            clock.set(START);
        }
    }

    @Test
    void policiesAreClassifiedWithWitnessesTheEvaluatorConfirms() {
        registry.policies().create("wide-open", WIDE_OPEN);
        registry.policies().create("escaping", ESCAPING);
        registry.policies().create("safe", SAFE);
        List<AuditFinding> findings = findings(audit(AuditCheckName.IOT_POLICY_OVERLY_PERMISSIVE_CHECK), true);
        PolicyEngine engine = new PolicyEngine(SCOPE, clock, SubstitutionMode.STRICT);

        for (String name : List.of("wide-open", "escaping")) {
            AuditFinding finding = about(findings, ResourceIdentifier.policyVersion(name, "1")).getFirst();
            assertThat(finding.reasonForNonComplianceCode()).isEqualTo("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS");
            assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
            Map<String, String> info = finding.nonCompliantResource().additionalInfo();
            assertThat(info.get("witnessEvaluatorDecision")).isEqualTo("ALLOWED");
            // The witness, evaluated again here by an engine of our own, is allowed by the policy.
            RequestContext.Builder context = RequestContext.builder();
            if (info.containsKey("witnessClientId")) {
                context.clientId(info.get("witnessClientId"));
            }
            AuthorizationRequest witness = new AuthorizationRequest(info.get("witnessAction"), info.get("witnessResource"),
                    context.build());
            String document = name.equals("wide-open") ? WIDE_OPEN : ESCAPING;
            assertThat(engine.evaluate(List.of(new NamedPolicy(name, "1", PolicyDocument.parse(document))), witness)
                    .isAllowed()).as(name + " witness " + info).isTrue();
        }
        AuditFinding escaping = about(findings, ResourceIdentifier.policyVersion("escaping", "1")).getFirst();
        assertThat(escaping.nonCompliantResource().additionalInfo()).containsEntry("witnessAction", "iot:Subscribe");
        assertThat(escaping.nonCompliantResource().additionalInfo().get("witnessResource"))
                .startsWith(SCOPE.arn("topicfilter", "devices/"));
        assertThat(about(findings, ResourceIdentifier.policyVersion("safe", "1"))).isEmpty();
    }

    @Test
    void wildcardsInDenyStatementsAndBypassedDeniesAreMisconfigurations() {
        registry.policies().create("deny-with-hash", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/building/*"},
                  {"Effect": "Deny", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/building/control_room/#"}
                ]}""");
        registry.policies().create("deny-bypassed", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/building/*"},
                  {"Effect": "Deny", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/building/control_room"}
                ]}""");
        List<AuditFinding> findings = findings(audit(AuditCheckName.IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK), true);
        assertThat(about(findings, ResourceIdentifier.policyVersion("deny-with-hash", "1")))
                .extracting(AuditFinding::reasonForNonComplianceCode)
                .contains("POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT");
        assertThat(about(findings, ResourceIdentifier.policyVersion("deny-bypassed", "1"))).singleElement().satisfies(f -> {
            assertThat(f.reasonForNonComplianceCode()).isEqualTo("TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS");
            assertThat(f.nonCompliantResource().additionalInfo()).containsEntry("witnessResource",
                    SCOPE.arn("topicfilter", "building/#")).containsEntry("witnessEvaluatorDecision", "ALLOWED");
        });
    }

    @Test
    void connectionHistoryRevealsSharedCertificatesAndConflictingClientIds() {
        String shared = registry.certificates().createKeysAndCertificate(true).certificate().id();
        String alone = registry.certificates().createKeysAndCertificate(true).certificate().id();
        Instant t = clock.instant().minus(Duration.ofHours(2));
        ClientConnection a = new ClientConnection("sensor-a", shared, "10.0.0.1", "s-a-" + shared.substring(0, 12), null);
        ClientConnection b = new ClientConnection("sensor-b", shared, "10.0.0.2", "s-b-" + shared.substring(0, 12), null);
        ClientConnection first = new ClientConnection("pump", alone, "10.0.0.3", "s-1-" + alone.substring(0, 12), null);
        ClientConnection second = new ClientConnection("pump", alone, "10.0.0.4", "s-2-" + alone.substring(0, 12), null);
        defender.onEvent(new ConnectionEvent.Connected(a, t, false, 1));
        defender.onEvent(new ConnectionEvent.Connected(b, t.plusSeconds(60), false, 1));
        defender.onEvent(new ConnectionEvent.Disconnected(a, t.plusSeconds(120), true,
                DisconnectReason.CLIENT_INITIATED_DISCONNECT, 2));
        defender.onEvent(new ConnectionEvent.Connected(first, t, false, 1));
        defender.onEvent(new ConnectionEvent.Connected(second, t.plusSeconds(30), false, 2));
        defender.onEvent(new ConnectionEvent.Disconnected(first, t.plusSeconds(30), false,
                DisconnectReason.DUPLICATE_CLIENTID, 3));

        List<AuditFinding> findings = findings(audit(AuditCheckName.DEVICE_CERTIFICATE_SHARED_CHECK,
                AuditCheckName.CONFLICTING_CLIENT_IDS_CHECK), true);
        assertThat(about(findings, ResourceIdentifier.deviceCertificate(shared))).singleElement().satisfies(f -> {
            assertThat(f.checkName()).isEqualTo(AuditCheckName.DEVICE_CERTIFICATE_SHARED_CHECK);
            assertThat(f.relatedResources()).extracting(r -> r.resourceIdentifier().clientId())
                    .containsExactlyInAnyOrder("sensor-a", "sensor-b");
        });
        // Two connections one after the other under one client id are one device reconnecting, not a shared key.
        assertThat(about(findings, ResourceIdentifier.deviceCertificate(alone))).isEmpty();
        assertThat(about(findings, ResourceIdentifier.client("pump"))).singleElement().satisfies(f -> {
            assertThat(f.checkName()).isEqualTo(AuditCheckName.CONFLICTING_CLIENT_IDS_CHECK);
            assertThat(f.reasonForNonComplianceCode()).isEqualTo("DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
        });
        assertThat(about(findings, ResourceIdentifier.client("sensor-a"))).isEmpty();
    }

    @Test
    void aRevokedCertificateStillTryingToConnectIsReported() {
        Certificate revoked = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.certificates().update(revoked.id(), CertificateStatus.REVOKED);
        Certificate quiet = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.certificates().update(quiet.id(), CertificateStatus.REVOKED);
        defender.recordRefusedConnection(new RefusedConnection(revoked.id(), "192.0.2.7",
                RefusedConnection.Reason.CERTIFICATE_REVOKED, clock.instant().minusSeconds(30)));
        defender.recordRefusedConnection(new RefusedConnection(revoked.id(), "192.0.2.7",
                RefusedConnection.Reason.CERTIFICATE_REVOKED, clock.instant().minusSeconds(10)));
        List<AuditFinding> findings = findings(audit(AuditCheckName.REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK), true);
        assertThat(about(findings, ResourceIdentifier.deviceCertificate(revoked.id()))).singleElement().satisfies(f -> {
            assertThat(f.reasonForNonComplianceCode()).isEqualTo("REVOKED_CERTIFICATE_STILL_CONNECTING");
            assertThat(f.nonCompliantResource().additionalInfo()).containsEntry("connectionAttempts", "2")
                    .containsEntry("sourceIps", "192.0.2.7");
        });
        assertThat(about(findings, ResourceIdentifier.deviceCertificate(quiet.id()))).isEmpty();
    }

    @Test
    void nodeFactsGiveThePlainListenerAndLoggingFindings() {
        logLevel = IotLogLevel.DISABLED;
        try {
            List<AuditFinding> findings = findings(audit(AuditCheckName.RAMPART_PLAIN_LISTENER_ENABLED_CHECK,
                    AuditCheckName.LOGGING_DISABLED_CHECK), true);
            assertThat(findings).extracting(AuditFinding::reasonForNonComplianceCode)
                    .containsExactlyInAnyOrder("PLAIN_LISTENER_ENABLED", "LOGGING_DISABLED");
            assertThat(findings).allSatisfy(f -> assertThat(f.nonCompliantResource().resourceIdentifier())
                    .isEqualTo(ResourceIdentifier.account(SCOPE.accountId())));
        } finally {
            logLevel = IotLogLevel.INFO;
        }
        assertThat(findings(audit(AuditCheckName.LOGGING_DISABLED_CHECK), true)).isEmpty();
    }

    @Test
    void aSuppressionHidesFindingsUntilItExpires() {
        Certificate shortLived = registerShortLived(Duration.ofDays(5));
        ResourceIdentifier resource = ResourceIdentifier.deviceCertificate(shortLived.id());
        defender.createSuppression(new AuditSuppression(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK, resource,
                clock.instant().plus(Duration.ofDays(1)), false, "renewal scheduled"));
        expectError(ErrorType.RESOURCE_ALREADY_EXISTS, "already exists", () -> {
            defender.createSuppression(new AuditSuppression(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK, resource,
                    null, true, null));
            return null;
        });

        AuditTask suppressedTask = audit(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK);
        assertThat(about(findings(suppressedTask, true), resource)).singleElement()
                .satisfies(f -> assertThat(f.suppressed()).isTrue());
        assertThat(about(findings(suppressedTask, false), resource)).isEmpty();
        assertThat(suppressedTask.auditDetails().get(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK)
                .suppressedNonCompliantResourcesCount()).isGreaterThanOrEqualTo(1);

        clock.advance(Duration.ofDays(1));
        try {
            AuditTask afterExpiry = audit(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK);
            assertThat(about(findings(afterExpiry, false), resource)).singleElement()
                    .satisfies(f -> assertThat(f.suppressed()).isFalse());
            assertThat(defender.describeSuppression(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK, resource)
                    .description()).isEqualTo("renewal scheduled");
        } finally {
            clock.set(START);
        }
        defender.deleteSuppression(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK, resource);
        expectError(ErrorType.RESOURCE_NOT_FOUND, "no suppression of DEVICE_CERTIFICATE_EXPIRING_CHECK",
                () -> defender.describeSuppression(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK, resource));
    }

    @Test
    void suppressionsMustNameTheChecksKindOfResourceAndAnExpiry() {
        expectError(ErrorType.INVALID_REQUEST, "DEVICE_CERTIFICATE_EXPIRING_CHECK reports DEVICE_CERTIFICATE resources:"
                + " give resourceIdentifier.deviceCertificateId", () -> {
            defender.createSuppression(new AuditSuppression(AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK,
                    ResourceIdentifier.client("x"), null, true, null));
            return null;
        });
        expectError(ErrorType.INVALID_REQUEST, "give an expirationDate or suppressIndefinitely=true", () -> {
            defender.createSuppression(new AuditSuppression(AuditCheckName.CONFLICTING_CLIENT_IDS_CHECK,
                    ResourceIdentifier.client("x"), null, false, null));
            return null;
        });
        expectError(ErrorType.INVALID_REQUEST, "is not in the future", () -> {
            defender.createSuppression(new AuditSuppression(AuditCheckName.CONFLICTING_CLIENT_IDS_CHECK,
                    ResourceIdentifier.client("x"), clock.instant().minusSeconds(1), false, null));
            return null;
        });
    }

    @Test
    void tasksAreListedNewestFirstAndACompletedTaskCannotBeCanceled() {
        // At a time of its own, so the range holds only this test's tasks.
        clock.set(START.plus(Duration.ofDays(1000)));
        AuditTask first;
        AuditTask second;
        try {
            first = audit(AuditCheckName.RAMPART_PLAIN_LISTENER_ENABLED_CHECK);
            clock.advance(Duration.ofSeconds(1));
            second = audit(AuditCheckName.RAMPART_PLAIN_LISTENER_ENABLED_CHECK);
        } finally {
            clock.set(START);
        }
        Page<AuditTask> page = defender.listTasks(new TaskQuery(first.taskStartTime(), second.taskStartTime(), null,
                AuditTaskStatus.COMPLETED), Page.Request.first(1));
        assertThat(page.items()).extracting(AuditTask::taskId).containsExactly(second.taskId());
        Page<AuditTask> next = defender.listTasks(new TaskQuery(first.taskStartTime(), second.taskStartTime(), null,
                AuditTaskStatus.COMPLETED), new Page.Request(1, page.nextToken()));
        assertThat(next.items()).extracting(AuditTask::taskId).containsExactly(first.taskId());
        assertThat(second.taskStatistics().nonCompliantChecks()).isEqualTo(1);
        expectError(ErrorType.INVALID_REQUEST, "is COMPLETED; only an IN_PROGRESS task can be canceled", () -> {
            defender.cancelTask(first.taskId());
            return null;
        });
        expectError(ErrorType.RESOURCE_NOT_FOUND, "audit task nope does not exist", () -> defender.describeTask("nope"));
    }

    @Test
    void aScheduledAuditRunsWhenTheClockReachesItsDayAndOnlyOnce() {
        clock.set(Instant.parse("2026-05-05T10:00:00Z")); // a Tuesday
        try {
            defender.createScheduledAudit(new ScheduledAudit("daily-plain", ScheduledAudit.Frequency.DAILY, null, null,
                    List.of(AuditCheckName.RAMPART_PLAIN_LISTENER_ENABLED_CHECK)));
            assertThat(defender.runDueScheduledAudits()).isEmpty();
            clock.set(Instant.parse("2026-05-06T00:00:00Z"));
            List<String> started = defender.runDueScheduledAudits();
            assertThat(started).hasSize(1);
            assertThat(defender.runDueScheduledAudits()).isEmpty();
            defender.awaitAudits();
            AuditTask task = defender.describeTask(started.getFirst());
            assertThat(task.taskType()).isEqualTo(AuditTaskType.SCHEDULED_AUDIT_TASK);
            assertThat(task.scheduledAuditName()).isEqualTo("daily-plain");
            assertThat(task.taskStatus()).isEqualTo(AuditTaskStatus.COMPLETED);
            assertThat(findings(task, true)).extracting(AuditFinding::reasonForNonComplianceCode)
                    .containsExactly("PLAIN_LISTENER_ENABLED");
            clock.advance(Duration.ofHours(23));
            assertThat(defender.runDueScheduledAudits()).isEmpty();
            clock.advance(Duration.ofHours(1));
            assertThat(defender.runDueScheduledAudits()).hasSize(1);
            defender.awaitAudits();

            expectError(ErrorType.RESOURCE_ALREADY_EXISTS, "scheduled audit daily-plain already exists", () -> {
                defender.createScheduledAudit(new ScheduledAudit("daily-plain", ScheduledAudit.Frequency.DAILY, null, null,
                        List.of(AuditCheckName.RAMPART_PLAIN_LISTENER_ENABLED_CHECK)));
                return null;
            });
            expectError(ErrorType.INVALID_REQUEST, "scheduled audits exist; delete them first", () -> {
                defender.deleteConfiguration(false);
                return null;
            });
            defender.deleteScheduledAudit("daily-plain");
            expectError(ErrorType.RESOURCE_NOT_FOUND, "scheduled audit daily-plain does not exist",
                    () -> defender.describeScheduledAudit("daily-plain"));
        } finally {
            clock.set(START);
        }
    }
}
