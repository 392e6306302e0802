package io.rampart.registry;

/** Whether device certificates signed by a CA are registered on first connection (JITR). */
public enum AutoRegistrationStatus {
    ENABLE, DISABLE
}
