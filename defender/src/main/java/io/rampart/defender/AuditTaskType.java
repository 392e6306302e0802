package io.rampart.defender;

/** AWS AuditTaskType. */
public enum AuditTaskType {
    ON_DEMAND_AUDIT_TASK, SCHEDULED_AUDIT_TASK
}
