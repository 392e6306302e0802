package io.rampart.registry;

/** AWS IoT CA certificate states. */
public enum CaCertificateStatus {
    ACTIVE, INACTIVE
}
