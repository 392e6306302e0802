package io.rampart.defender;

/** AWS AuditTaskStatus. */
public enum AuditTaskStatus {
    IN_PROGRESS, COMPLETED, FAILED, CANCELED
}
