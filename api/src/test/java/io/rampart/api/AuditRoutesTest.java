package io.rampart.api;

import static io.rampart.api.AwsErrors.fails;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AuditCheckConfiguration;
import software.amazon.awssdk.services.iot.model.AuditFrequency;
import software.amazon.awssdk.services.iot.model.DayOfWeek;
import software.amazon.awssdk.services.iot.model.AuditCheckRunStatus;
import software.amazon.awssdk.services.iot.model.AuditFinding;
import software.amazon.awssdk.services.iot.model.AuditFindingSeverity;
import software.amazon.awssdk.services.iot.model.AuditNotificationTarget;
import software.amazon.awssdk.services.iot.model.AuditNotificationType;
import software.amazon.awssdk.services.iot.model.AuditSuppression;
import software.amazon.awssdk.services.iot.model.AuditTaskStatus;
import software.amazon.awssdk.services.iot.model.AuditTaskType;
import software.amazon.awssdk.services.iot.model.ConfigName;
import software.amazon.awssdk.services.iot.model.DescribeAccountAuditConfigurationResponse;
import software.amazon.awssdk.services.iot.model.DescribeAuditTaskResponse;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.ListAuditFindingsResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceIdentifier;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ResourceType;

/** Device Defender audit configuration, tasks, findings and suppressions driven through the AWS SDK for Java v2. */
class AuditRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static final String POLICY_CHECK = "IOT_POLICY_OVERLY_PERMISSIVE_CHECK";

    private static IotClient iot() {
        return node.admin();
    }

    @BeforeAll
    static void configure() {
        iot().updateAccountAuditConfiguration(r -> r.roleArn("arn:aws:iam::000000000000:role/audit")
                .auditCheckConfigurations(Map.of(
                        POLICY_CHECK, AuditCheckConfiguration.builder().enabled(true).build(),
                        "DEVICE_CERTIFICATE_EXPIRING_CHECK", AuditCheckConfiguration.builder().enabled(true)
                                .configuration(Map.of(ConfigName.CERT_EXPIRATION_THRESHOLD_IN_DAYS, "60")).build(),
                        "CA_CERTIFICATE_EXPIRING_CHECK", AuditCheckConfiguration.builder().enabled(true).build())));
        iot().createPolicy(r -> r.policyName("everything").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}"));
    }

    private static DescribeAuditTaskResponse awaitCompleted(String taskId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        DescribeAuditTaskResponse task = iot().describeAuditTask(r -> r.taskId(taskId));
        while (task.taskStatus() == AuditTaskStatus.IN_PROGRESS && System.nanoTime() < deadline) {
            Thread.sleep(20);
            task = iot().describeAuditTask(r -> r.taskId(taskId));
        }
        return task;
    }

    private static ResourceIdentifier everything() {
        return ResourceIdentifier.builder().policyVersionIdentifier(p -> p.policyName("everything").policyVersionId("1")).build();
    }

    @Test
    void theConfigurationRoundTripsThroughTheSdk() {
        DescribeAccountAuditConfigurationResponse configuration = iot().describeAccountAuditConfiguration(r -> { });
        assertThat(configuration.roleArn()).isEqualTo("arn:aws:iam::000000000000:role/audit");
        assertThat(configuration.auditCheckConfigurations().get(POLICY_CHECK).enabled()).isTrue();
        assertThat(configuration.auditCheckConfigurations().get("DEVICE_CERTIFICATE_EXPIRING_CHECK").configuration())
                .containsEntry(ConfigName.CERT_EXPIRATION_THRESHOLD_IN_DAYS, "60");
        assertThat(configuration.auditCheckConfigurations().get("LOGGING_DISABLED_CHECK").enabled()).isFalse();
        assertThat(configuration.auditCheckConfigurations()).containsKey("RAMPART_PLAIN_LISTENER_ENABLED_CHECK");
    }

    @Test
    void badConfigurationsAreRefusedWithTheReason() {
        fails(InvalidRequestException.class, 400, "Rampart has no Cognito identity pools",
                () -> iot().updateAccountAuditConfiguration(r -> r.auditCheckConfigurations(Map.of(
                        "AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK",
                        AuditCheckConfiguration.builder().enabled(true).build()))));
        fails(InvalidRequestException.class, 400, "unknown audit check 'NO_SUCH_CHECK'",
                () -> iot().updateAccountAuditConfiguration(r -> r.auditCheckConfigurations(Map.of(
                        "NO_SUCH_CHECK", AuditCheckConfiguration.builder().enabled(true).build()))));
        fails(InvalidRequestException.class, 400, "Rampart does not send to SNS",
                () -> iot().updateAccountAuditConfiguration(r -> r.auditNotificationTargetConfigurationsWithStrings(Map.of(
                        AuditNotificationType.SNS.toString(), AuditNotificationTarget.builder().enabled(true)
                                .targetArn("arn:aws:sns:us-east-1:000000000000:t").build()))));
        fails(InvalidRequestException.class, 400, "LOGGING_DISABLED_CHECK is not enabled for this account",
                () -> iot().startOnDemandAuditTask(r -> r.targetCheckNames("LOGGING_DISABLED_CHECK")));
    }

    @Test
    void anOnDemandAuditFindsTheOverlyPermissivePolicyWithAwsShapes() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String taskId = iot().startOnDemandAuditTask(r -> r.targetCheckNames(POLICY_CHECK,
                "DEVICE_CERTIFICATE_EXPIRING_CHECK")).taskId();
        DescribeAuditTaskResponse task = awaitCompleted(taskId);
        assertThat(task.taskStatus()).isEqualTo(AuditTaskStatus.COMPLETED);
        assertThat(task.taskType()).isEqualTo(AuditTaskType.ON_DEMAND_AUDIT_TASK);
        assertThat(task.taskStartTime()).isAfter(before);
        assertThat(task.taskStatistics().totalChecks()).isEqualTo(2);
        assertThat(task.taskStatistics().nonCompliantChecks()).isEqualTo(1);
        assertThat(task.auditDetails().get(POLICY_CHECK).checkRunStatus()).isEqualTo(AuditCheckRunStatus.COMPLETED_NON_COMPLIANT);
        assertThat(task.auditDetails().get(POLICY_CHECK).checkCompliant()).isFalse();
        assertThat(task.auditDetails().get("DEVICE_CERTIFICATE_EXPIRING_CHECK").checkCompliant()).isTrue();

        ListAuditFindingsResponse listed = iot().listAuditFindings(r -> r.taskId(taskId));
        AuditFinding finding = listed.findings().stream()
                .filter(f -> f.nonCompliantResource().resourceIdentifier().equals(everything())).findFirst().orElseThrow();
        assertThat(finding.taskId()).isEqualTo(taskId);
        assertThat(finding.checkName()).isEqualTo(POLICY_CHECK);
        assertThat(finding.severity()).isEqualTo(AuditFindingSeverity.CRITICAL);
        assertThat(finding.nonCompliantResource().resourceType()).isEqualTo(ResourceType.IOT_POLICY);
        assertThat(finding.nonCompliantResource().additionalInfo()).containsEntry("witnessEvaluatorDecision", "ALLOWED")
                .containsKey("witnessAction").containsKey("witnessResource");
        assertThat(finding.reasonForNonComplianceCode()).isEqualTo("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS");
        assertThat(finding.reasonForNonCompliance()).contains("everything");
        assertThat(finding.isSuppressed()).isFalse();
        assertThat(finding.findingTime()).isAfterOrEqualTo(finding.taskStartTime());

        AuditFinding described = iot().describeAuditFinding(r -> r.findingId(finding.findingId())).finding();
        assertThat(described).isEqualTo(finding);
        assertThat(iot().listAuditFindings(r -> r.checkName(POLICY_CHECK).resourceIdentifier(everything())
                .startTime(before).endTime(Instant.now().plusSeconds(1))).findings())
                .extracting(AuditFinding::findingId).contains(finding.findingId());

        assertThat(iot().listAuditTasks(r -> r.startTime(before).endTime(Instant.now().plusSeconds(1))
                .taskType(AuditTaskType.ON_DEMAND_AUDIT_TASK)).tasks())
                .anySatisfy(t -> assertThat(t.taskId()).isEqualTo(taskId));
        fails(InvalidRequestException.class, 400, "only an IN_PROGRESS task can be canceled",
                () -> iot().cancelAuditTask(r -> r.taskId(taskId)));
        fails(ResourceNotFoundException.class, 404, "audit finding nope does not exist",
                () -> iot().describeAuditFinding(r -> r.findingId("nope")));
        fails(InvalidRequestException.class, 400, "query parameter 'startTime' is required",
                () -> iot().listAuditTasks(r -> r.endTime(Instant.now())));
    }

    @Test
    void aSuppressionMarksLaterFindingsAndListingCanLeaveThemOut() throws Exception {
        Instant expires = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        iot().createAuditSuppression(r -> r.checkName(POLICY_CHECK).resourceIdentifier(everything())
                .expirationDate(expires).description("known test policy"));
        fails(ResourceAlreadyExistsException.class, 409, "already exists",
                () -> iot().createAuditSuppression(r -> r.checkName(POLICY_CHECK).resourceIdentifier(everything())
                        .suppressIndefinitely(true)));
        var described = iot().describeAuditSuppression(r -> r.checkName(POLICY_CHECK).resourceIdentifier(everything()));
        assertThat(described.expirationDate()).isEqualTo(expires);
        assertThat(described.suppressIndefinitely()).isFalse();
        assertThat(described.description()).isEqualTo("known test policy");

        String taskId = iot().startOnDemandAuditTask(r -> r.targetCheckNames(POLICY_CHECK)).taskId();
        DescribeAuditTaskResponse task = awaitCompleted(taskId);
        assertThat(task.auditDetails().get(POLICY_CHECK).suppressedNonCompliantResourcesCount()).isEqualTo(1);
        assertThat(iot().listAuditFindings(r -> r.taskId(taskId)).findings())
                .filteredOn(f -> f.nonCompliantResource().resourceIdentifier().equals(everything()))
                .singleElement().satisfies(f -> assertThat(f.isSuppressed()).isTrue());
        assertThat(iot().listAuditFindings(r -> r.taskId(taskId).listSuppressedFindings(false)).findings())
                .noneMatch(f -> f.nonCompliantResource().resourceIdentifier().equals(everything()));

        iot().updateAuditSuppression(r -> r.checkName(POLICY_CHECK).resourceIdentifier(everything()).suppressIndefinitely(true));
        List<AuditSuppression> suppressions = iot().listAuditSuppressions(r -> r.checkName(POLICY_CHECK)).suppressions();
        assertThat(suppressions).singleElement().satisfies(s -> {
            assertThat(s.suppressIndefinitely()).isTrue();
            assertThat(s.description()).isEqualTo("known test policy");
            assertThat(s.resourceIdentifier()).isEqualTo(everything());
        });
        iot().deleteAuditSuppression(r -> r.checkName(POLICY_CHECK).resourceIdentifier(everything()));
        fails(ResourceNotFoundException.class, 404, "no suppression of IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
                () -> iot().describeAuditSuppression(r -> r.checkName(POLICY_CHECK).resourceIdentifier(everything())));
        fails(InvalidRequestException.class, 400, "give resourceIdentifier.policyVersionIdentifier",
                () -> iot().createAuditSuppression(r -> r.checkName(POLICY_CHECK)
                        .resourceIdentifier(ResourceIdentifier.builder().clientId("x").build()).suppressIndefinitely(true)));
        fails(InvalidRequestException.class, 400, "Rampart has no role aliases",
                () -> iot().createAuditSuppression(r -> r.checkName(POLICY_CHECK).resourceIdentifier(ResourceIdentifier
                        .builder().roleAliasArn("arn:aws:iot:us-east-1:000000000000:rolealias/x").build()).suppressIndefinitely(true)));
    }

    @Test
    void readOnlyKeysMayReadTheAuditButNotStartOne() {
        assertThat(node.readOnly().describeAccountAuditConfiguration(r -> { }).auditCheckConfigurations()).isNotEmpty();
        assertThat(node.readOnly().listAuditFindings(r -> r.startTime(Instant.EPOCH).endTime(Instant.now())).findings()).isNotNull();
        var denied = org.assertj.core.api.Assertions.catchThrowableOfType(
                software.amazon.awssdk.services.iot.model.IotException.class,
                () -> node.readOnly().startOnDemandAuditTask(r -> r.targetCheckNames(POLICY_CHECK)));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    }

    @Test
    void scheduledAuditsAreCreatedDescribedListedUpdatedAndDeleted() {
        String arn = iot().createScheduledAudit(r -> r.scheduledAuditName("weekly-policies")
                .frequency(AuditFrequency.WEEKLY).dayOfWeek(DayOfWeek.MON).targetCheckNames(POLICY_CHECK)).scheduledAuditArn();
        assertThat(arn).isEqualTo(ApiTestNode.SCOPE.arn("scheduledaudit", "weekly-policies"));
        var described = iot().describeScheduledAudit(r -> r.scheduledAuditName("weekly-policies"));
        assertThat(described.frequency()).isEqualTo(AuditFrequency.WEEKLY);
        assertThat(described.dayOfWeek()).isEqualTo(DayOfWeek.MON);
        assertThat(described.targetCheckNames()).containsExactly(POLICY_CHECK);

        iot().updateScheduledAudit(r -> r.scheduledAuditName("weekly-policies").frequency(AuditFrequency.MONTHLY)
                .dayOfMonth("LAST"));
        assertThat(iot().listScheduledAudits(r -> { }).scheduledAudits()).singleElement().satisfies(a -> {
            assertThat(a.scheduledAuditName()).isEqualTo("weekly-policies");
            assertThat(a.frequency()).isEqualTo(AuditFrequency.MONTHLY);
            assertThat(a.dayOfMonth()).isEqualTo("LAST");
            assertThat(a.dayOfWeek()).isNull();
        });
        fails(InvalidRequestException.class, 400, "a WEEKLY audit needs dayOfWeek",
                () -> iot().createScheduledAudit(r -> r.scheduledAuditName("no-day").frequency(AuditFrequency.WEEKLY)
                        .targetCheckNames(POLICY_CHECK)));
        fails(InvalidRequestException.class, 400, "LOGGING_DISABLED_CHECK is not enabled",
                () -> iot().createScheduledAudit(r -> r.scheduledAuditName("off").frequency(AuditFrequency.DAILY)
                        .targetCheckNames("LOGGING_DISABLED_CHECK")));
        iot().deleteScheduledAudit(r -> r.scheduledAuditName("weekly-policies"));
        fails(ResourceNotFoundException.class, 404, "scheduled audit weekly-policies does not exist",
                () -> iot().describeScheduledAudit(r -> r.scheduledAuditName("weekly-policies")));
    }
}
