package io.rampart.messaging;

import java.util.Objects;

/** A message handed to a service, with who published it. */
public record Delivery(Message message, Origin origin) {
    public Delivery {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(origin, "origin");
    }
}
