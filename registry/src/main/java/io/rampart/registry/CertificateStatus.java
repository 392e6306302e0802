package io.rampart.registry;

/** AWS IoT device certificate states; only ACTIVE certificates authenticate, REVOKED is final. */
public enum CertificateStatus {
    ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION
}
