package io.rampart.messaging;

import java.util.Objects;

/** An MQTT 5 user property: a name/value pair, repeatable and ordered (MQTT 5 §3.3.2.3.7). */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
