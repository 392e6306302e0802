package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.GetV2LoggingOptionsResponse;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.ListV2LoggingLevelsResponse;
import software.amazon.awssdk.services.iot.model.LogLevel;
import software.amazon.awssdk.services.iot.model.LogTargetType;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/** The AWS IoT logging operations through the AWS SDK's IotClient: shapes, persistence in the options, errors. */
class LoggingRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static final String COMPONENT = "RAMPART_COMPONENT";

    @Test
    void v2OptionsAreSetAndReadBackAndV1SeesTheSameSetting() {
        IotClient iot = node.admin();
        iot.setV2LoggingOptions(b -> b.roleArn("arn:aws:iam::123456789012:role/iot-logs").defaultLogLevel(LogLevel.WARN)
                .disableAllLogs(false));
        GetV2LoggingOptionsResponse v2 = iot.getV2LoggingOptions(b -> { });
        assertThat(v2.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/iot-logs");
        assertThat(v2.defaultLogLevel()).isEqualTo(LogLevel.WARN);
        assertThat(v2.disableAllLogs()).isFalse();
        assertThat(iot.getLoggingOptions(b -> { }).logLevel()).isEqualTo(LogLevel.WARN);

        iot.setLoggingOptions(b -> b.loggingOptionsPayload(p -> p.roleArn("arn:aws:iam::123456789012:role/v1").logLevel(LogLevel.ERROR)));
        assertThat(iot.getV2LoggingOptions(b -> { }).defaultLogLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(iot.getLoggingOptions(b -> { }).roleArn()).isEqualTo("arn:aws:iam::123456789012:role/v1");

        // Members left out keep their values; disableAllLogs is what Device Defender's audit reads.
        iot.setV2LoggingOptions(b -> b.disableAllLogs(true));
        assertThat(iot.getV2LoggingOptions(b -> { }).defaultLogLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(node.logging().current().loggingEnabled()).isFalse();
        iot.setV2LoggingOptions(b -> b.disableAllLogs(false).defaultLogLevel(LogLevel.INFO));
        assertThat(node.logging().current().loggingEnabled()).isTrue();
    }

    @Test
    void componentLevelsAreSetListedPagedAndDeleted() {
        IotClient iot = node.admin();
        iot.setV2LoggingLevel(b -> b.logTarget(t -> t.targetType(COMPONENT).targetName("broker")).logLevel(LogLevel.DEBUG));
        iot.setV2LoggingLevel(b -> b.logTarget(t -> t.targetType(COMPONENT).targetName("api")).logLevel(LogLevel.ERROR));

        ListV2LoggingLevelsResponse first = iot.listV2LoggingLevels(b -> b.maxResults(1));
        assertThat(first.logTargetConfigurations()).singleElement().satisfies(c -> {
            assertThat(c.logTarget().targetTypeAsString()).isEqualTo(COMPONENT);
            assertThat(c.logTarget().targetName()).isEqualTo("api");
            assertThat(c.logLevel()).isEqualTo(LogLevel.ERROR);
        });
        ListV2LoggingLevelsResponse second = iot.listV2LoggingLevels(b -> b.maxResults(1).nextToken(first.nextToken()));
        assertThat(second.logTargetConfigurations()).extracting(c -> c.logTarget().targetName()).containsExactly("broker");
        assertThat(second.nextToken()).isNull();
        assertThat(iot.listV2LoggingLevels(b -> b.targetType(LogTargetType.CLIENT_ID)).logTargetConfigurations()).isEmpty();

        iot.deleteV2LoggingLevel(b -> b.targetType(COMPONENT).targetName("api"));
        iot.deleteV2LoggingLevel(b -> b.targetType(COMPONENT).targetName("broker"));
        assertThat(iot.listV2LoggingLevels(b -> { }).logTargetConfigurations()).isEmpty();
        assertThatThrownBy(() -> iot.deleteV2LoggingLevel(b -> b.targetType(COMPONENT).targetName("broker")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("no log level is set for RAMPART_COMPONENT broker");
    }

    @Test
    void badLevelsTargetsAndMembersAreInvalidRequests() {
        IotClient iot = node.admin();
        assertInvalid(() -> iot.setV2LoggingOptions(b -> b.defaultLogLevel("LOUD")),
                "defaultLogLevel must be one of DEBUG, INFO, WARN, ERROR, DISABLED, got 'LOUD'");
        assertInvalid(() -> iot.setV2LoggingLevel(b -> b.logTarget(t -> t.targetType(LogTargetType.CLIENT_ID).targetName("lamp-1"))
                .logLevel(LogLevel.DEBUG)), "targetType CLIENT_ID is not supported");
        assertInvalid(() -> iot.setV2LoggingLevel(b -> b.logTarget(t -> t.targetType(COMPONENT).targetName("kernel"))
                .logLevel(LogLevel.DEBUG)), "'kernel' is not a Rampart component; choose one of api, broker, shadow");
        assertInvalid(() -> iot.setV2LoggingLevel(b -> b.logTarget(t -> t.targetType(COMPONENT).targetName("api"))
                .logLevel("VERBOSE")), "logLevel must be one of");
        assertInvalid(() -> iot.setV2LoggingLevel(b -> b.logLevel(LogLevel.DEBUG)), "member 'logTarget' is required");
        assertInvalid(() -> iot.setV2LoggingOptions(b -> b.eventConfigurations(e -> e.eventType("Publish-In").logLevel(LogLevel.DEBUG))),
                "member 'eventConfigurations' is not supported");
        assertInvalid(() -> iot.setLoggingOptions(b -> b.loggingOptionsPayload(p -> p.roleArn("role/x"))),
                "roleArn must be an IAM role ARN");
        assertInvalid(() -> iot.deleteV2LoggingLevel(b -> b.targetType("NOPE").targetName("x")), "targetType must be one of");
    }

    @Test
    void readOnlyKeysMayReadButNotSet() {
        assertThat(node.readOnly().getV2LoggingOptions(b -> { }).defaultLogLevel()).isNotNull();
        assertThatThrownBy(() -> node.readOnly().setV2LoggingOptions(b -> b.defaultLogLevel(LogLevel.DEBUG)))
                .isInstanceOfSatisfying(IotException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(InvalidRequestException.class).hasMessageContaining(message);
    }
}
