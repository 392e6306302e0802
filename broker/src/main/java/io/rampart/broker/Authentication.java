package io.rampart.broker;

import io.rampart.messaging.AuthenticationFailureReason;

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
     * @param reason  why, as the security event and the activity trail report it
     * @param message the explanation for operators (log, trail); never sent to the client
     */
    record Rejected(AuthenticationFailureReason reason, String message) implements Authentication {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
