package io.rampart.registry;

/**
 * Told about registry changes that other parts of the node act on (the MQTT gateway, the shadow service), after they
 * are committed (so a listener that reads the
 * registry sees the new state). Called on the thread that made the change; an implementation should only hand the
 * event on (e.g. schedule a disconnect) and return quickly. An exception it throws is logged and does not undo the
 * change.
 *
 * <p>Events are local to the node whose registry made the change; nodes sharing a database do not see each other's.
 * Every event has a do-nothing default, so a listener overrides only those it acts on.
 */
public interface RegistryListener {
    /** Certificate {@code certificateId} now has {@code status} (UpdateCertificate). */
    default void certificateStatusChanged(String certificateId, CertificateStatus status) {
    }

    /**
     * Registered CA certificate {@code caCertificateId} now has {@code status} (UpdateCACertificate with a new status):
     * when it is not ACTIVE, the certificates it issued may no longer connect.
     */
    default void caCertificateStatusChanged(String caCertificateId, CaCertificateStatus status) {
    }

    /**
     * Something a connection's authorization is computed from changed: a policy, policy version or default version,
     * a policy attachment, a thing principal, a thing's type or attributes, a group membership or a group deleted.
     * Decisions cached before this may be wrong now.
     */
    default void authorizationInputsChanged() {
    }

    /** Thing {@code thingName} was deleted (DeleteThing); what hangs off it, such as its shadows, goes too. */
    default void thingDeleted(String thingName) {
    }
}
