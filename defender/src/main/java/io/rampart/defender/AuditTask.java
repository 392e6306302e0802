package io.rampart.defender;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * An audit task (DescribeAuditTask).
 *
 * @param scheduledAuditName the scheduled audit that started it, or null for an on-demand audit
 * @param auditDetails       per check, how it ran
 */
public record AuditTask(String taskId, AuditTaskStatus taskStatus, AuditTaskType taskType, Instant taskStartTime,
                        String scheduledAuditName, Map<AuditCheckName, CheckDetails> auditDetails) {
    public AuditTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(taskStatus, "taskStatus");
        Objects.requireNonNull(taskType, "taskType");
        auditDetails = Collections.unmodifiableMap(new EnumMap<>(auditDetails.isEmpty()
                ? new EnumMap<>(AuditCheckName.class) : auditDetails));
    }

    /** AWS TaskStatistics: how many checks are in each state. */
    public record Statistics(int totalChecks, int inProgressChecks, int waitingForDataCollectionChecks,
                             int compliantChecks, int nonCompliantChecks, int failedChecks, int canceledChecks) {
    }

    public Statistics taskStatistics() {
        int[] counts = new int[CheckRunStatus.values().length];
        auditDetails.values().forEach(d -> counts[d.checkRunStatus().ordinal()]++);
        return new Statistics(auditDetails.size(), counts[CheckRunStatus.IN_PROGRESS.ordinal()],
                counts[CheckRunStatus.WAITING_FOR_DATA_COLLECTION.ordinal()],
                counts[CheckRunStatus.COMPLETED_COMPLIANT.ordinal()],
                counts[CheckRunStatus.COMPLETED_NON_COMPLIANT.ordinal()], counts[CheckRunStatus.FAILED.ordinal()],
                counts[CheckRunStatus.CANCELED.ordinal()]);
    }
}
