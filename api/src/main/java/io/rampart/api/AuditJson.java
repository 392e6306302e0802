package io.rampart.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.Json;
import io.rampart.defender.AuditFinding;
import io.rampart.defender.AuditTask;
import io.rampart.defender.CompletedAudit;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Audit findings and tasks as JSON outside the API (published findings): the very shapes DescribeAuditFinding and
 * DescribeAuditTask answer, so one consumer reads both.
 */
public final class AuditJson {
    private final ObjectMapper mapper = Json.newMapper();

    /** A finding as DescribeAuditFinding's {@code finding} member. */
    public byte[] finding(AuditFinding finding) {
        return write(AuditRoutes.finding(finding));
    }

    /**
     * The summary of a completed task: {@code taskId}, then DescribeAuditTask's members ({@code taskStatus},
     * {@code taskStatistics}, {@code auditDetails} with the counts per check), and {@code publishedFindings}, how many
     * non-suppressed findings were published for it.
     */
    public byte[] summary(CompletedAudit audit) {
        AuditTask task = audit.task();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskId", task.taskId());
        out.putAll(AuditRoutes.task(task));
        out.put("publishedFindings", audit.newFindings().size());
        return write(out);
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("audit JSON could not be written", e);
        }
    }
}
