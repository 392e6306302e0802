package io.rampart.defender;

import java.util.List;
import java.util.Objects;

/**
 * An audit task that has just completed, as {@link DefenderService#addCompletedAuditListener} reports it.
 *
 * @param task     the task as DescribeAuditTask shows it (COMPLETED, with per-check counts)
 * @param findings every finding of the task, suppressed ones included
 */
public record CompletedAudit(AuditTask task, List<AuditFinding> findings) {
    public CompletedAudit {
        Objects.requireNonNull(task, "task");
        findings = List.copyOf(findings);
    }

    /** The findings nobody suppressed: what is published. */
    public List<AuditFinding> newFindings() {
        return findings.stream().filter(f -> !f.suppressed()).toList();
    }
}
