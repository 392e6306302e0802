package io.rampart.trail.logging;

import java.util.Objects;

/**
 * The node-wide logging options, AWS IoT's v2 shape ({@code GetV2LoggingOptions}).
 *
 * @param roleArn         kept and returned as given (AWS logs to CloudWatch through this role; Rampart logs
 *                        locally and never assumes it), or null
 * @param defaultLogLevel the level of every Rampart component without a level of its own
 * @param disableAllLogs  true silences every Rampart logger, whatever the levels say
 */
public record LoggingOptions(String roleArn, LogLevel defaultLogLevel, boolean disableAllLogs) {
    public LoggingOptions {
        Objects.requireNonNull(defaultLogLevel, "defaultLogLevel");
    }

    /**
     * Whether the node logs at all: what Device Defender's {@code LOGGING_DISABLED_CHECK} asks. False when all logs
     * are disabled or the default level is DISABLED (a component with a level of its own does not make the node's
     * logging "enabled", as in AWS, where the check looks at the account's default).
     */
    public boolean loggingEnabled() {
        return !disableAllLogs && defaultLogLevel != LogLevel.DISABLED;
    }
}
