package io.rampart.defender;

/**
 * What LOGGING_DISABLED_CHECK reads: the node's default log level for device activity (the SetV2LoggingOptions
 * setting). The server's wiring adapts the node's logging configuration to it.
 */
@FunctionalInterface
public interface LoggingStatus {
    /** The default log level in force; DISABLED when logging is off (including "disable all logs"). */
    IotLogLevel defaultLogLevel();
}
