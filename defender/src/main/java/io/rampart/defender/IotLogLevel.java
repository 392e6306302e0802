package io.rampart.defender;

/** AWS IoT's LogLevel names, as SetV2LoggingOptions' defaultLogLevel and ENABLE_IOT_LOGGING's logLevel use them. */
public enum IotLogLevel {
    DEBUG, INFO, ERROR, WARN, DISABLED
}
