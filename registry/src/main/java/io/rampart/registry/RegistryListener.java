package io.rampart.registry;

/**
 * Told about registry changes the MQTT gateway must act on, after they are committed (so a listener that reads the
 * registry sees the new state). Called on the thread that made the change; an implementation should only hand the
 * event on (e.g. schedule a disconnect) and return quickly. An exception it throws is logged and does not undo the
 * change.
 *
 * <p>Events are local to the node whose registry made the change; nodes sharing a database do not see each other's.
 */
public interface RegistryListener {
    /** Certificate {@code certificateId} now has {@code status} (UpdateCertificate). */
    void certificateStatusChanged(String certificateId, CertificateStatus status);

    /**
     * Registered CA certificate {@code caCertificateId} now has {@code status} (UpdateCACertificate with a new status):
     * when it is not ACTIVE, the certificates it issued may no longer connect.
     */
    void caCertificateStatusChanged(String caCertificateId, CaCertificateStatus status);

    /**
     * Something a connection's authorization is computed from changed: a policy, policy version or default version,
     * a policy attachment, a thing principal, a thing's type or attributes, a group membership or a group deleted.
     * Decisions cached before this may be wrong now.
     */
    void authorizationInputsChanged();
}
