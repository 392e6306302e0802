package io.rampart.defender;

import java.time.Instant;
import java.util.Objects;

/** Which tasks ListAuditTasks returns: started within [startTime, endTime], optionally of one type and status. */
public record TaskQuery(Instant startTime, Instant endTime, AuditTaskType taskType, AuditTaskStatus taskStatus) {
    public TaskQuery {
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
    }
}
