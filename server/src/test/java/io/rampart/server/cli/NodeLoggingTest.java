package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.rampart.server.Node;
import io.rampart.server.observability.LogbackLevels;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.LogLevel;

/** The AWS IoT logging operations change the running node's Logback levels, and the change survives a restart. */
class NodeLoggingTest {
    private static final LoggerContext LOGBACK = (LoggerContext) LoggerFactory.getILoggerFactory();

    @TempDir
    Path data;

    @AfterEach
    void restoreTheTestConfiguration() {
        // Logback's levels belong to the JVM, which other test classes share: put back what logback-test.xml set.
        LOGBACK.getLogger(LogbackLevels.RAMPART).setLevel(Level.INFO);
        LogbackLevels.COMPONENTS.forEach(component -> LOGBACK.getLogger(LogbackLevels.RAMPART + "." + component).setLevel(null));
    }

    private static Level effective(String component) {
        return LOGBACK.getLogger(LogbackLevels.RAMPART + "." + component + ".SomeClass").getEffectiveLevel();
    }

    @Test
    void aComponentLevelAndTheDefaultLevelChangeLoggersAtOnceAndSurviveARestart() {
        try (Node node = TestNodes.start(data); NodeConnection connection = CliRun.connect(data)) {
            assertThat(node.loggingSettings().current().loggingEnabled()).isTrue();
            assertThat(effective("broker")).isEqualTo(Level.INFO);
            connection.iot().setV2LoggingLevel(b -> b.logTarget(t -> t.targetType("RAMPART_COMPONENT").targetName("broker"))
                    .logLevel(LogLevel.DEBUG));
            connection.iot().setV2LoggingOptions(b -> b.defaultLogLevel(LogLevel.WARN));
            assertThat(effective("broker")).isEqualTo(Level.DEBUG);
            assertThat(effective("registry")).isEqualTo(Level.WARN);
        }
        // As a fresh process would start: the configuration file's levels, then the node applies the stored options.
        restoreTheTestConfiguration();
        try (Node node = TestNodes.start(data); NodeConnection connection = CliRun.connect(data)) {
            assertThat(effective("broker")).isEqualTo(Level.DEBUG);
            assertThat(effective("registry")).isEqualTo(Level.WARN);
            assertThat(connection.iot().getV2LoggingOptions(b -> { }).defaultLogLevel()).isEqualTo(LogLevel.WARN);

            connection.iot().deleteV2LoggingLevel(b -> b.targetType("RAMPART_COMPONENT").targetName("broker"));
            assertThat(effective("broker")).isEqualTo(Level.WARN);
        }
    }

    @Test
    void disablingAllLogsTurnsEveryRampartLoggerOffAndTheAuditSeesIt() {
        try (Node node = TestNodes.start(data); NodeConnection connection = CliRun.connect(data)) {
            connection.iot().setV2LoggingLevel(b -> b.logTarget(t -> t.targetType("RAMPART_COMPONENT").targetName("api"))
                    .logLevel(LogLevel.DEBUG));
            connection.iot().setV2LoggingOptions(b -> b.disableAllLogs(true));
            assertThat(effective("api")).isEqualTo(Level.OFF);
            assertThat(effective("broker")).isEqualTo(Level.OFF);
            assertThat(node.loggingSettings().current().loggingEnabled()).isFalse();
            // Libraries keep the levels the configuration file gave them.
            assertThat(LOGBACK.getLogger("io.netty").getEffectiveLevel()).isNotEqualTo(Level.OFF);

            connection.iot().setV2LoggingOptions(b -> b.disableAllLogs(false).defaultLogLevel(LogLevel.DISABLED));
            assertThat(effective("broker")).isEqualTo(Level.OFF);
            assertThat(effective("api")).isEqualTo(Level.DEBUG);
            assertThat(node.loggingSettings().current().loggingEnabled()).isFalse();
        }
    }

    @Test
    void anUnknownLevelOrComponentIsAnInvalidRequestAndChangesNothing() {
        try (Node node = TestNodes.start(data); NodeConnection connection = CliRun.connect(data)) {
            assertThatThrownBy(() -> connection.iot().setV2LoggingOptions(b -> b.defaultLogLevel("TRACE")))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("defaultLogLevel must be one of");
            assertThatThrownBy(() -> connection.iot().setV2LoggingLevel(b -> b.logTarget(t -> t.targetType("RAMPART_COMPONENT")
                    .targetName("netty")).logLevel(LogLevel.DEBUG)))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'netty' is not a Rampart component");
            assertThat(effective("broker")).isEqualTo(Level.INFO);
        }
    }
}
