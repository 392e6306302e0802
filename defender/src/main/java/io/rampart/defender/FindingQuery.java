package io.rampart.defender;

import java.time.Instant;

/**
 * Which findings ListAuditFindings returns: of one task, or found within [startTime, endTime]; optionally one
 * check and one resource.
 *
 * @param includeSuppressed whether suppressed findings are listed (AWS listSuppressedFindings; listed unless false)
 */
public record FindingQuery(String taskId, AuditCheckName checkName, ResourceIdentifier resourceIdentifier,
                           Instant startTime, Instant endTime, boolean includeSuppressed) {
}
