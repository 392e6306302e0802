package io.rampart.trail.logging;

/** AWS IoT's log levels (the SDK's {@code LogLevel}), most verbose first; DISABLED logs nothing. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR, DISABLED
}
