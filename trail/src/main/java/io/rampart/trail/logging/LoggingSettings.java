package io.rampart.trail.logging;

/**
 * Read access to the node's logging options, for code that only needs to know them (Device Defender's
 * {@code LOGGING_DISABLED_CHECK} reads {@code current().loggingEnabled()}). Implemented by
 * {@link LoggingConfiguration}; thread-safe, and never touches the database (the options are held in memory).
 */
public interface LoggingSettings {
    /** The options in force now: as last set through the API, or the node's start-up defaults if never set. */
    LoggingOptions current();
}
