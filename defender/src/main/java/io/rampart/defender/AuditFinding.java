package io.rampart.defender;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One non-compliant resource found by one check of one audit task (AWS AuditFinding).
 *
 * @param suppressed whether a suppression for this check and resource was in force when the audit found it
 */
public record AuditFinding(String findingId, String taskId, AuditCheckName checkName, Instant taskStartTime,
                           Instant findingTime, Severity severity, AuditResource nonCompliantResource,
                           List<AuditResource> relatedResources, String reasonForNonCompliance,
                           String reasonForNonComplianceCode, boolean suppressed) {
    public AuditFinding {
        Objects.requireNonNull(findingId, "findingId");
        Objects.requireNonNull(checkName, "checkName");
        Objects.requireNonNull(nonCompliantResource, "nonCompliantResource");
        relatedResources = List.copyOf(relatedResources);
    }
}
