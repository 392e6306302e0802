package io.rampart.defender;

/** How serious a finding is, with AWS's names (AuditFindingSeverity). */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW
}
