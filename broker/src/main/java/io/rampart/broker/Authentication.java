package io.rampart.broker;

import java.util.Objects;

/** The outcome of {@link Authenticator#authenticate}. */
public sealed interface Authentication {

    /** The client is known and may go on to CONNECT as {@code principal}. */
    record Accepted(Principal principal) implements Authentication {
        public Accepted {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /**
     * The client is refused; the connection is closed before any MQTT packet is read.
     *
     * @param reason why, for the log only (never sent to the client)
     */
    record Rejected(String reason) implements Authentication {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
