package io.rampart.trail.logging;

import java.util.Objects;

/** A log level set for one Rampart component (SetV2LoggingLevel with target type {@value LoggingConfiguration#COMPONENT_TARGET}). */
public record ComponentLogLevel(String component, LogLevel level) {
    public ComponentLogLevel {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(level, "level");
    }
}
