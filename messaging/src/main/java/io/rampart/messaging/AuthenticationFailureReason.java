package io.rampart.messaging;

/**
 * Why the gateway refused a TLS client before any MQTT packet was read. The first three come from the TLS layer;
 * the rest are the registry's verdict on a certificate the handshake has proven possession of.
 */
public enum AuthenticationFailureReason {
    /** The handshake ended without a client certificate (mutual TLS is mandatory). */
    NO_CLIENT_CERTIFICATE,
    /** The TLS handshake failed: no common protocol or cipher, a bad signature, not TLS at all, a reset. */
    TLS_HANDSHAKE_FAILED,
    /** The TLS handshake did not finish within the configured handshake timeout. */
    TLS_HANDSHAKE_TIMEOUT,
    /** No certificate with this id is registered (this includes certificates issued by a foreign CA). */
    UNKNOWN_CERTIFICATE,
    /** The certificate is REVOKED. */
    CERTIFICATE_REVOKED,
    /** The certificate is INACTIVE. */
    CERTIFICATE_INACTIVE,
    /** The certificate is PENDING_TRANSFER to another account. */
    CERTIFICATE_PENDING_TRANSFER,
    /** The certificate is REGISTER_INACTIVE or PENDING_ACTIVATION (registered but never activated). */
    CERTIFICATE_NOT_ACTIVATED,
    /** The CA that issued the certificate is registered but not ACTIVE. */
    CA_NOT_ACTIVE,
    /** The certificate's validity has not started. */
    CERTIFICATE_NOT_YET_VALID,
    /** The certificate's validity has ended. */
    CERTIFICATE_EXPIRED,
    /** The authenticator itself failed (e.g. the database was unreachable); the client was refused, fail closed. */
    AUTHENTICATOR_FAILED
}
