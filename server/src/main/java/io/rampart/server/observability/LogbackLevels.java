package io.rampart.server.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.rampart.trail.logging.LogLevel;
import io.rampart.trail.logging.LoggingConfiguration;
import io.rampart.trail.logging.LoggingOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies the node's logging options to Logback: the default level to {@code io.rampart} (every Rampart logger
 * inherits it), a component's own level to {@code io.rampart.<component>}, and OFF to all of them when all logs are
 * disabled or a level is DISABLED. Libraries' loggers are left as the configuration file set them.
 *
 * <p>Logback's levels belong to the process, not to a node: two nodes in one JVM (tests) share them, and the last
 * change wins.
 */
public final class LogbackLevels implements LoggingConfiguration.Applier {
    /** The root of Rampart's loggers. */
    public static final String RAMPART = "io.rampart";
    /** The components whose level can be set (target type RAMPART_COMPONENT): the packages under io.rampart. */
    public static final List<String> COMPONENTS = List.of("analyzer", "api", "broker", "common", "defender", "messaging", "pki",
            "policy", "registry", "server", "shadow", "store", "trail");

    private final LoggerContext context;

    private LogbackLevels(LoggerContext context) {
        this.context = context;
    }

    /** The applier for this process's Logback, or empty when SLF4J is bound to another backend. */
    public static Optional<LogbackLevels> forThisProcess() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext context ? Optional.of(new LogbackLevels(context)) : Optional.empty();
    }

    /** The options the log configuration gives before any were set: io.rampart's effective level, nothing disabled. */
    public LoggingOptions startupOptions() {
        Level level = context.getLogger(RAMPART).getEffectiveLevel();
        return new LoggingOptions(null, awsLevel(level), false);
    }

    @Override
    public void apply(LoggingOptions options, Map<String, LogLevel> componentLevels) {
        boolean off = options.disableAllLogs();
        context.getLogger(RAMPART).setLevel(off ? Level.OFF : logbackLevel(options.defaultLogLevel()));
        for (String component : COMPONENTS) {
            Logger logger = context.getLogger(RAMPART + "." + component);
            LogLevel own = componentLevels.get(component);
            // null: inherit io.rampart's level again once a component's own level is deleted.
            logger.setLevel(off ? Level.OFF : own == null ? null : logbackLevel(own));
        }
    }

    static Level logbackLevel(LogLevel level) {
        return switch (level) {
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR -> Level.ERROR;
            case DISABLED -> Level.OFF;
        };
    }

    static LogLevel awsLevel(Level level) {
        if (level.isGreaterOrEqual(Level.OFF)) {
            return LogLevel.DISABLED;
        }
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return LogLevel.ERROR;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return LogLevel.WARN;
        }
        return level.isGreaterOrEqual(Level.INFO) ? LogLevel.INFO : LogLevel.DEBUG;
    }
}
