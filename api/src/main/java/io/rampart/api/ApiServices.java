package io.rampart.api;

import java.time.Clock;
import java.util.Objects;

/** The node's services the API routes call; built once by the server's wiring. */
public record ApiServices(AccessKeys accessKeys, Clock clock) {
    public ApiServices {
        Objects.requireNonNull(accessKeys, "accessKeys");
        Objects.requireNonNull(clock, "clock");
    }
}
