package io.rampart.trail.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.store.TestDatabase;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The logging options as the API and the server's Logback wiring rely on them, on SQLite and PostgreSQL. */
abstract class LoggingConfigurationContract {
    private static final Set<String> COMPONENTS = Set.of("api", "broker", "shadow");
    private static final LoggingOptions STARTUP = new LoggingOptions(null, LogLevel.INFO, false);

    private record Applied(LoggingOptions options, Map<String, LogLevel> levels) {
    }

    private final List<Applied> applied = new ArrayList<>();
    private TestDatabase testDb;

    @BeforeEach
    void clean(TestDatabase testDb) {
        this.testDb = testDb;
        testDb.database().migrate("logging");
        testDb.database().inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM logging_options");
                return s.executeUpdate("DELETE FROM logging_levels");
            }
        });
    }

    private LoggingConfiguration open() {
        return LoggingConfiguration.open(testDb.database(), COMPONENTS, STARTUP,
                (options, levels) -> applied.add(new Applied(options, levels)), Clock.systemUTC());
    }

    @Test
    void neverSetAnswersTheStartupDefaultsAndAppliesNothing() {
        LoggingConfiguration logging = open();
        assertThat(logging.current()).isEqualTo(STARTUP);
        assertThat(logging.configured()).isFalse();
        assertThat(logging.current().loggingEnabled()).isTrue();
        assertThat(applied).isEmpty();
    }

    @Test
    void optionsAndLevelsAreAppliedAtOnceAndSurviveARestart() {
        LoggingConfiguration logging = open();
        LoggingOptions options = new LoggingOptions("arn:aws:iam::123456789012:role/iot-logs", LogLevel.WARN, false);
        logging.setOptions(options);
        logging.setLevel(LoggingConfiguration.COMPONENT_TARGET, "broker", LogLevel.DEBUG);
        assertThat(applied.getLast()).isEqualTo(new Applied(options, Map.of("broker", LogLevel.DEBUG)));

        testDb.reopen();
        applied.clear();
        LoggingConfiguration restarted = open();
        assertThat(restarted.current()).isEqualTo(options);
        assertThat(restarted.configured()).isTrue();
        assertThat(restarted.levels(Optional.empty())).containsExactly(new ComponentLogLevel("broker", LogLevel.DEBUG));
        assertThat(applied).containsExactly(new Applied(options, Map.of("broker", LogLevel.DEBUG)));
    }

    @Test
    void disabledLoggingIsWhatTheAuditSees() {
        LoggingConfiguration logging = open();
        logging.setOptions(new LoggingOptions(null, LogLevel.ERROR, true));
        LoggingSettings settings = logging;
        assertThat(settings.current().loggingEnabled()).isFalse();
        logging.setOptions(new LoggingOptions(null, LogLevel.DISABLED, false));
        assertThat(settings.current().loggingEnabled()).isFalse();
        logging.setOptions(new LoggingOptions(null, LogLevel.ERROR, false));
        assertThat(settings.current().loggingEnabled()).isTrue();
    }

    @Test
    void deletingALevelReturnsTheComponentToTheDefault() {
        LoggingConfiguration logging = open();
        logging.setLevel(LoggingConfiguration.COMPONENT_TARGET, "api", LogLevel.ERROR);
        logging.setLevel(LoggingConfiguration.COMPONENT_TARGET, "api", LogLevel.DEBUG);
        assertThat(logging.levels(Optional.of(LoggingConfiguration.COMPONENT_TARGET)))
                .containsExactly(new ComponentLogLevel("api", LogLevel.DEBUG));
        logging.deleteLevel(LoggingConfiguration.COMPONENT_TARGET, "api");
        assertThat(logging.levels(Optional.empty())).isEmpty();
        assertThat(applied.getLast().levels()).isEmpty();
        assertThatThrownBy(() -> logging.deleteLevel(LoggingConfiguration.COMPONENT_TARGET, "api"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.RESOURCE_NOT_FOUND))
                .hasMessageContaining("api");
    }

    @Test
    void deviceTargetsUnknownTargetsAndUnknownComponentsAreRefused() {
        LoggingConfiguration logging = open();
        assertInvalid(() -> logging.setLevel("CLIENT_ID", "lamp-1", LogLevel.DEBUG), "does not filter its logs per device");
        assertInvalid(() -> logging.setLevel("EVERYTHING", "x", LogLevel.DEBUG), "targetType must be one of");
        assertInvalid(() -> logging.setLevel(LoggingConfiguration.COMPONENT_TARGET, "kernel", LogLevel.DEBUG),
                "not a Rampart component; choose one of api, broker, shadow");
        assertInvalid(() -> logging.setLevel(LoggingConfiguration.COMPONENT_TARGET, "", LogLevel.DEBUG), "targetName is required");
        assertInvalid(() -> logging.levels(Optional.of("NOPE")), "targetType must be one of");
        assertThat(logging.levels(Optional.of("THING_GROUP"))).isEmpty();
        assertInvalid(() -> logging.setOptions(new LoggingOptions("not-an-arn", LogLevel.INFO, false)), "roleArn must be an IAM role ARN");
        assertThat(applied).isEmpty();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RampartException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST)).hasMessageContaining(message);
    }
}
