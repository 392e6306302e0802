package io.rampart.broker;

/**
 * Decides whether a TLS client may use the broker, from the certificate chain it presented. The TLS layer only
 * proves possession of the key; whether the certificate is known, ACTIVE, issued by an ACTIVE CA and inside its
 * validity is this interface's decision (the server wires a registry-backed implementation).
 *
 * <p>Called on the broker's blocking executor, never on a network event loop, so an implementation may query a
 * database.
 */
@FunctionalInterface
public interface Authenticator {
    /** The verdict on {@code credentials}; an exception counts as a rejection and is logged. */
    Authentication authenticate(PresentedCredentials credentials);
}
