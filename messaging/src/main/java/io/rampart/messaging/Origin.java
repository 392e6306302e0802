package io.rampart.messaging;

import java.util.Objects;

/** Who published a message: a connected MQTT client or an in-process service. */
public sealed interface Origin {
    /** A device or application connected over MQTT. */
    record Client(ClientConnection connection) implements Origin {
        public Client {
            Objects.requireNonNull(connection, "connection");
        }
    }

    /** An in-process service (shadow, jobs, rules...) publishing through the {@link MessageBus}. */
    record Service(String name) implements Origin {
        public Service {
            Objects.requireNonNull(name, "name");
        }
    }
}
