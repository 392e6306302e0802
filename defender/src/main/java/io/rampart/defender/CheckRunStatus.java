package io.rampart.defender;

/** How one check of an audit task ended (AWS AuditCheckRunStatus); Rampart never waits for data collection. */
public enum CheckRunStatus {
    IN_PROGRESS, WAITING_FOR_DATA_COLLECTION, CANCELED, COMPLETED_COMPLIANT, COMPLETED_NON_COMPLIANT, FAILED
}
