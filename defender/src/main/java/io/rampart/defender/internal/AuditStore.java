package io.rampart.defender.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.defender.AuditCheckName;
import io.rampart.defender.AuditConfiguration;
import io.rampart.defender.AuditFinding;
import io.rampart.defender.AuditResource;
import io.rampart.defender.AuditSuppression;
import io.rampart.defender.AuditTask;
import io.rampart.defender.AuditTaskStatus;
import io.rampart.defender.AuditTaskType;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.CheckDetails;
import io.rampart.defender.FindingQuery;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.Severity;
import io.rampart.defender.TaskQuery;
import io.rampart.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit's tables: configuration, tasks, findings and suppressions (see {@code db/defender/common/V1__audit.sql}).
 * Every method is one transaction or one query.
 */
public final class AuditStore {
    private static final String ROLE_ARN = "roleArn";
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<AuditCheckName, CheckDetails>> DETAILS = new TypeReference<>() {
    };
    private static final TypeReference<List<AuditResource>> RESOURCES = new TypeReference<>() {
    };
    private static final TypeReference<List<AuditCheckName>> CHECK_NAMES = new TypeReference<>() {
    };

    private final Database db;
    private final ObjectMapper json = Json.newMapper();

    public AuditStore(Database db) {
        this.db = db;
    }

    // ---- configuration ----

    public AuditConfiguration configuration() {
        return db.query(c -> {
            String roleArn = null;
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM defender_settings WHERE name = ?")) {
                s.setString(1, ROLE_ARN);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        roleArn = rs.getString(1);
                    }
                }
            }
            Map<AuditCheckName, CheckConfiguration> checks = new EnumMap<>(AuditCheckName.class);
            try (PreparedStatement s = c.prepareStatement("SELECT check_name, enabled, configuration FROM defender_check_config");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    checks.put(AuditCheckName.valueOf(rs.getString(1)),
                            new CheckConfiguration(rs.getInt(2) == 1, read(rs.getString(3), STRING_MAP)));
                }
            }
            return new AuditConfiguration(roleArn, checks);
        });
    }

    /** Sets the role ARN (when not null) and the given checks' configurations; other checks keep theirs. */
    public void updateConfiguration(String roleArn, Map<AuditCheckName, CheckConfiguration> checks) {
        db.inTransaction(c -> {
            if (roleArn != null) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_settings (name, value) VALUES (?, ?)"
                        + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                    s.setString(1, ROLE_ARN);
                    s.setString(2, roleArn);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_check_config (check_name, enabled, configuration)"
                    + " VALUES (?, ?, ?) ON CONFLICT (check_name) DO UPDATE SET enabled = excluded.enabled,"
                    + " configuration = excluded.configuration")) {
                for (Map.Entry<AuditCheckName, CheckConfiguration> entry : checks.entrySet()) {
                    s.setString(1, entry.getKey().name());
                    s.setInt(2, entry.getValue().enabled() ? 1 : 0);
                    s.setString(3, write(entry.getValue().configuration()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /** Forgets the configuration: every check disabled, no role ARN. */
    public void deleteConfiguration() {
        db.inTransaction(c -> {
            try (PreparedStatement a = c.prepareStatement("DELETE FROM defender_settings");
                 PreparedStatement b = c.prepareStatement("DELETE FROM defender_check_config")) {
                a.executeUpdate();
                b.executeUpdate();
            }
            return null;
        });
    }

    // ---- tasks ----

    public void insertTask(AuditTask task, List<AuditCheckName> checks) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_audit_tasks (task_id, task_type, status,"
                    + " start_time, scheduled_audit_name, check_names, details) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, task.taskId());
                s.setString(2, task.taskType().name());
                s.setString(3, task.taskStatus().name());
                s.setLong(4, task.taskStartTime().toEpochMilli());
                s.setString(5, task.scheduledAuditName());
                s.setString(6, write(checks));
                s.setString(7, write(task.auditDetails()));
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Stores a check's findings and the task's details in one transaction, while the task is still IN_PROGRESS;
     * returns false (storing nothing) when it is not, e.g. canceled meanwhile.
     */
    public boolean recordCheck(String taskId, Map<AuditCheckName, CheckDetails> details, List<AuditFinding> findings) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_audit_tasks SET details = ?"
                    + " WHERE task_id = ? AND status = ?")) {
                s.setString(1, write(details));
                s.setString(2, taskId);
                s.setString(3, AuditTaskStatus.IN_PROGRESS.name());
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            insertFindings(c, findings);
            return true;
        });
    }

    private void insertFindings(Connection c, List<AuditFinding> findings) throws SQLException {
        if (findings.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_findings (finding_id, task_id, check_name,"
                + " task_start_time, finding_time, severity, resource_type, resource_key, resource, related, reason,"
                + " reason_code, suppressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditFinding f : findings) {
                s.setString(1, f.findingId());
                s.setString(2, f.taskId());
                s.setString(3, f.checkName().name());
                s.setLong(4, f.taskStartTime().toEpochMilli());
                s.setLong(5, f.findingTime().toEpochMilli());
                s.setString(6, f.severity().name());
                s.setString(7, f.nonCompliantResource().resourceType().name());
                s.setString(8, f.nonCompliantResource().resourceIdentifier().key());
                s.setString(9, write(f.nonCompliantResource()));
                s.setString(10, write(f.relatedResources()));
                s.setString(11, f.reasonForNonCompliance());
                s.setString(12, f.reasonForNonComplianceCode());
                s.setInt(13, f.suppressed() ? 1 : 0);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Ends an IN_PROGRESS task with {@code status} and its final details; false when it was no longer in progress. */
    public boolean finishTask(String taskId, AuditTaskStatus status, Map<AuditCheckName, CheckDetails> details, Instant end) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_audit_tasks SET status = ?, details = ?,"
                    + " end_time = ? WHERE task_id = ? AND status = ?")) {
                s.setString(1, status.name());
                s.setString(2, write(details));
                s.setLong(3, end.toEpochMilli());
                s.setString(4, taskId);
                s.setString(5, AuditTaskStatus.IN_PROGRESS.name());
                return s.executeUpdate() == 1;
            }
        });
    }

    /** CancelAuditTask: only an IN_PROGRESS task can be canceled (InvalidRequestException otherwise). */
    public void cancelTask(String taskId, Instant now) {
        db.inTransaction(c -> {
            AuditTask task = readTask(c, taskId);
            if (task.taskStatus() != AuditTaskStatus.IN_PROGRESS) {
                throw RampartException.invalidRequest("audit task " + taskId + " is " + task.taskStatus()
                        + "; only an IN_PROGRESS task can be canceled");
            }
            Map<AuditCheckName, CheckDetails> details = new EnumMap<>(task.auditDetails());
            details.replaceAll((check, d) -> d.checkRunStatus() == io.rampart.defender.CheckRunStatus.IN_PROGRESS
                    ? new CheckDetails(io.rampart.defender.CheckRunStatus.CANCELED, 0, 0, 0, null, null) : d);
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_audit_tasks SET status = ?, details = ?,"
                    + " end_time = ? WHERE task_id = ?")) {
                s.setString(1, AuditTaskStatus.CANCELED.name());
                s.setString(2, write(details));
                s.setLong(3, now.toEpochMilli());
                s.setString(4, taskId);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Tasks a previous run of the node left IN_PROGRESS (it stopped mid-audit) become FAILED. */
    public int failInterruptedTasks(Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_audit_tasks SET status = ?, end_time = ?"
                    + " WHERE status = ?")) {
                s.setString(1, AuditTaskStatus.FAILED.name());
                s.setLong(2, now.toEpochMilli());
                s.setString(3, AuditTaskStatus.IN_PROGRESS.name());
                return s.executeUpdate();
            }
        });
    }

    public AuditTask task(String taskId) {
        return db.query(c -> readTask(c, taskId));
    }

    /** The checks a task was asked to run, in order. */
    public List<AuditCheckName> taskChecks(String taskId) {
        return db.query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT check_names FROM defender_audit_tasks WHERE task_id = ?")) {
                s.setString(1, taskId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw RampartException.notFound("audit task " + taskId + " does not exist");
                    }
                    return read(rs.getString(1), CHECK_NAMES);
                }
            }
        });
    }

    private AuditTask readTask(Connection c, String taskId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT task_id, task_type, status, start_time, scheduled_audit_name,"
                + " details FROM defender_audit_tasks WHERE task_id = ?")) {
            s.setString(1, taskId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw RampartException.notFound("audit task " + taskId + " does not exist");
                }
                return task(rs);
            }
        }
    }

    private AuditTask task(ResultSet rs) throws SQLException {
        return new AuditTask(rs.getString(1), AuditTaskStatus.valueOf(rs.getString(3)),
                AuditTaskType.valueOf(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
                read(rs.getString(6), DETAILS));
    }

    /** ListAuditTasks, newest first. */
    public Page<AuditTask> listTasks(TaskQuery query, Page.Request page) {
        StringBuilder sql = new StringBuilder("SELECT task_id, task_type, status, start_time, scheduled_audit_name, details"
                + " FROM defender_audit_tasks WHERE start_time >= ? AND start_time <= ?");
        List<Object> args = new ArrayList<>(List.of(query.startTime().toEpochMilli(), query.endTime().toEpochMilli()));
        if (query.taskType() != null) {
            sql.append(" AND task_type = ?");
            args.add(query.taskType().name());
        }
        if (query.taskStatus() != null) {
            sql.append(" AND status = ?");
            args.add(query.taskStatus().name());
        }
        if (page.nextToken() != null) {
            sql.append(" AND task_id < ?");
            args.add(page.nextToken());
        }
        sql.append(" ORDER BY task_id DESC LIMIT ?");
        args.add(page.maxResults() + 1);
        return db.query(c -> {
            List<AuditTask> tasks = new ArrayList<>();
            try (PreparedStatement s = bind(c.prepareStatement(sql.toString()), args); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tasks.add(task(rs));
                }
            }
            return page(tasks, page.maxResults(), AuditTask::taskId);
        });
    }

    // ---- findings ----

    private static final String FINDING_COLUMNS = "finding_id, task_id, check_name, task_start_time, finding_time,"
            + " severity, resource, related, reason, reason_code, suppressed";

    public AuditFinding finding(String findingId) {
        return db.query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + FINDING_COLUMNS
                    + " FROM defender_findings WHERE finding_id = ?")) {
                s.setString(1, findingId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw RampartException.notFound("audit finding " + findingId + " does not exist");
                    }
                    return finding(rs);
                }
            }
        });
    }

    /** ListAuditFindings, oldest first (finding ids sort by time). */
    public Page<AuditFinding> listFindings(FindingQuery query, Page.Request page) {
        StringBuilder sql = new StringBuilder("SELECT " + FINDING_COLUMNS + " FROM defender_findings WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.taskId() != null) {
            sql.append(" AND task_id = ?");
            args.add(query.taskId());
        }
        if (query.startTime() != null) {
            sql.append(" AND finding_time >= ?");
            args.add(query.startTime().toEpochMilli());
        }
        if (query.endTime() != null) {
            sql.append(" AND finding_time <= ?");
            args.add(query.endTime().toEpochMilli());
        }
        if (query.checkName() != null) {
            sql.append(" AND check_name = ?");
            args.add(query.checkName().name());
        }
        if (query.resourceIdentifier() != null) {
            sql.append(" AND resource_key = ?");
            args.add(query.resourceIdentifier().key());
        }
        if (!query.includeSuppressed()) {
            sql.append(" AND suppressed = 0");
        }
        if (page.nextToken() != null) {
            sql.append(" AND finding_id > ?");
            args.add(page.nextToken());
        }
        sql.append(" ORDER BY finding_id LIMIT ?");
        args.add(page.maxResults() + 1);
        return db.query(c -> {
            List<AuditFinding> findings = new ArrayList<>();
            try (PreparedStatement s = bind(c.prepareStatement(sql.toString()), args); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    findings.add(finding(rs));
                }
            }
            return page(findings, page.maxResults(), AuditFinding::findingId);
        });
    }

    private AuditFinding finding(ResultSet rs) throws SQLException {
        return new AuditFinding(rs.getString(1), rs.getString(2), AuditCheckName.valueOf(rs.getString(3)),
                Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), Severity.valueOf(rs.getString(6)),
                read(rs.getString(7), AuditResource.class), read(rs.getString(8), RESOURCES), rs.getString(9),
                rs.getString(10), rs.getInt(11) == 1);
    }

    // ---- suppressions ----

    public void createSuppression(AuditSuppression suppression, Instant now) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_suppressions (check_name, resource_key,"
                    + " resource, expiration_date, indefinitely, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (check_name, resource_key) DO NOTHING")) {
                bindSuppression(s, suppression);
                s.setLong(7, now.toEpochMilli());
                if (s.executeUpdate() == 0) {
                    throw RampartException.alreadyExists("a suppression of " + suppression.checkName() + " for "
                            + describe(suppression.resourceIdentifier()) + " already exists; update or delete it");
                }
            }
            return null;
        });
    }

    /** Replaces what UpdateAuditSuppression gives: expiry (or indefinitely) and description (null keeps it). */
    public void updateSuppression(AuditSuppression suppression) {
        db.inTransaction(c -> {
            AuditSuppression current = readSuppression(c, suppression.checkName(), suppression.resourceIdentifier());
            String description = suppression.description() != null ? suppression.description() : current.description();
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_suppressions SET expiration_date = ?,"
                    + " indefinitely = ?, description = ? WHERE check_name = ? AND resource_key = ?")) {
                setInstant(s, 1, suppression.expirationDate());
                s.setInt(2, suppression.suppressIndefinitely() ? 1 : 0);
                s.setString(3, description);
                s.setString(4, suppression.checkName().name());
                s.setString(5, suppression.resourceIdentifier().key());
                s.executeUpdate();
            }
            return null;
        });
    }

    public void deleteSuppression(AuditCheckName check, ResourceIdentifier resource) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM defender_suppressions WHERE check_name = ?"
                    + " AND resource_key = ?")) {
                s.setString(1, check.name());
                s.setString(2, resource.key());
                if (s.executeUpdate() == 0) {
                    throw RampartException.notFound("no suppression of " + check + " for " + describe(resource));
                }
            }
            return null;
        });
    }

    public AuditSuppression suppression(AuditCheckName check, ResourceIdentifier resource) {
        return db.query(c -> readSuppression(c, check, resource));
    }

    private AuditSuppression readSuppression(Connection c, AuditCheckName check, ResourceIdentifier resource)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT check_name, resource, expiration_date, indefinitely,"
                + " description FROM defender_suppressions WHERE check_name = ? AND resource_key = ?")) {
            s.setString(1, check.name());
            s.setString(2, resource.key());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw RampartException.notFound("no suppression of " + check + " for " + describe(resource));
                }
                return suppression(rs);
            }
        }
    }

    /**
     * ListAuditSuppressions ordered by check name and resource; the page token is the count already returned (a list of
     * suppressions is short).
     */
    public Page<AuditSuppression> listSuppressions(AuditCheckName check, ResourceIdentifier resource, boolean ascending,
                                                   Page.Request page) {
        int offset = offset(page.nextToken());
        StringBuilder sql = new StringBuilder("SELECT check_name, resource, expiration_date, indefinitely, description"
                + " FROM defender_suppressions WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (check != null) {
            sql.append(" AND check_name = ?");
            args.add(check.name());
        }
        if (resource != null) {
            sql.append(" AND resource_key = ?");
            args.add(resource.key());
        }
        String direction = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY check_name ").append(direction).append(", resource_key ").append(direction)
                .append(" LIMIT ? OFFSET ?");
        args.add(page.maxResults() + 1);
        args.add(offset);
        return db.query(c -> {
            List<AuditSuppression> found = new ArrayList<>();
            try (PreparedStatement s = bind(c.prepareStatement(sql.toString()), args); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(suppression(rs));
                }
            }
            if (found.size() > page.maxResults()) {
                return new Page<>(found.subList(0, page.maxResults()), Integer.toString(offset + page.maxResults()));
            }
            return new Page<>(found, null);
        });
    }

    /** Every suppression in force at {@code instant}, by check and resource key. */
    public Map<String, AuditSuppression> suppressionsInForce(Instant instant) {
        return db.query(c -> {
            Map<String, AuditSuppression> inForce = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT check_name, resource, expiration_date, indefinitely,"
                    + " description FROM defender_suppressions WHERE indefinitely = 1 OR expiration_date > ?")) {
                s.setLong(1, instant.toEpochMilli());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        AuditSuppression suppression = suppression(rs);
                        inForce.put(suppressionKey(suppression.checkName(), suppression.resourceIdentifier()), suppression);
                    }
                }
            }
            return inForce;
        });
    }

    /** The key {@link #suppressionsInForce} uses. */
    public static String suppressionKey(AuditCheckName check, ResourceIdentifier resource) {
        return check.name() + "\n" + resource.key();
    }

    private AuditSuppression suppression(ResultSet rs) throws SQLException {
        long expiration = rs.getLong(3);
        Instant expirationDate = rs.wasNull() ? null : Instant.ofEpochMilli(expiration);
        return new AuditSuppression(AuditCheckName.valueOf(rs.getString(1)), read(rs.getString(2), ResourceIdentifier.class),
                expirationDate, rs.getInt(4) == 1, rs.getString(5));
    }

    private void bindSuppression(PreparedStatement s, AuditSuppression suppression) throws SQLException {
        s.setString(1, suppression.checkName().name());
        s.setString(2, suppression.resourceIdentifier().key());
        s.setString(3, write(suppression.resourceIdentifier()));
        setInstant(s, 4, suppression.expirationDate());
        s.setInt(5, suppression.suppressIndefinitely() ? 1 : 0);
        s.setString(6, suppression.description());
    }

    // ---- scheduled audits ----

    /** A scheduled audit as stored, with when it last ran (null: never) and runs next. */
    public record StoredSchedule(io.rampart.defender.ScheduledAudit audit, Instant lastRun, Instant nextRun) {
    }

    public void createSchedule(io.rampart.defender.ScheduledAudit audit, Instant nextRun) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_scheduled_audits (name, frequency,"
                    + " day_of_week, day_of_month, check_names, next_run) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, audit.name());
                s.setString(2, audit.frequency().name());
                s.setString(3, audit.dayOfWeek());
                s.setString(4, audit.dayOfMonth());
                s.setString(5, write(audit.targetCheckNames()));
                s.setLong(6, nextRun.toEpochMilli());
                if (s.executeUpdate() == 0) {
                    throw RampartException.alreadyExists("scheduled audit " + audit.name() + " already exists");
                }
            }
            return null;
        });
    }

    /** Replaces the schedule (keeping when it last ran); ResourceNotFoundException when there is none. */
    public void updateSchedule(io.rampart.defender.ScheduledAudit audit, Instant nextRun) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_scheduled_audits SET frequency = ?,"
                    + " day_of_week = ?, day_of_month = ?, check_names = ?, next_run = ? WHERE name = ?")) {
                s.setString(1, audit.frequency().name());
                s.setString(2, audit.dayOfWeek());
                s.setString(3, audit.dayOfMonth());
                s.setString(4, write(audit.targetCheckNames()));
                s.setLong(5, nextRun.toEpochMilli());
                s.setString(6, audit.name());
                if (s.executeUpdate() == 0) {
                    throw RampartException.notFound("scheduled audit " + audit.name() + " does not exist");
                }
            }
            return null;
        });
    }

    /** Records a run: true when this caller claimed it (the schedule still expected {@code expectedNextRun}). */
    public boolean claimRun(String name, Instant expectedNextRun, Instant ranAt, Instant nextRun) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_scheduled_audits SET last_run = ?,"
                    + " next_run = ? WHERE name = ? AND next_run = ?")) {
                s.setLong(1, ranAt.toEpochMilli());
                s.setLong(2, nextRun.toEpochMilli());
                s.setString(3, name);
                s.setLong(4, expectedNextRun.toEpochMilli());
                return s.executeUpdate() == 1;
            }
        });
    }

    public void deleteSchedule(String name) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM defender_scheduled_audits WHERE name = ?")) {
                s.setString(1, name);
                if (s.executeUpdate() == 0) {
                    throw RampartException.notFound("scheduled audit " + name + " does not exist");
                }
            }
            return null;
        });
    }

    public int deleteAllSchedules() {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM defender_scheduled_audits")) {
                return s.executeUpdate();
            }
        });
    }

    /** Every scheduled audit by name. */
    public List<StoredSchedule> schedules() {
        return db.query(c -> {
            List<StoredSchedule> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, frequency, day_of_week, day_of_month, check_names,"
                    + " last_run, next_run FROM defender_scheduled_audits ORDER BY name"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(6);
                    Instant lastRun = rs.wasNull() ? null : Instant.ofEpochMilli(last);
                    all.add(new StoredSchedule(new io.rampart.defender.ScheduledAudit(rs.getString(1),
                            io.rampart.defender.ScheduledAudit.Frequency.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4), read(rs.getString(5), CHECK_NAMES)), lastRun, Instant.ofEpochMilli(rs.getLong(7))));
                }
            }
            return all;
        });
    }

    // ---- helpers ----

    static String describe(ResourceIdentifier resource) {
        return "resource {" + resource.key().replace("\n", ", ") + "}";
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(token);
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw RampartException.invalidRequest("nextToken '" + token + "' is not a token this list returned");
        }
    }

    private static <T> Page<T> page(List<T> items, int maxResults, java.util.function.Function<T, String> key) {
        if (items.size() > maxResults) {
            List<T> first = items.subList(0, maxResults);
            return new Page<>(first, key.apply(first.getLast()));
        }
        return new Page<>(items, null);
    }

    private static PreparedStatement bind(PreparedStatement s, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg instanceof Long l) {
                s.setLong(i + 1, l);
            } else if (arg instanceof Integer n) {
                s.setInt(i + 1, n);
            } else {
                s.setString(i + 1, (String) arg);
            }
        }
        return s;
    }

    private static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
        if (instant == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, instant.toEpochMilli());
        }
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "cannot store " + value + ": " + e.getMessage(), e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "stored audit data cannot be read: " + e.getMessage(), e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "stored audit data cannot be read: " + e.getMessage(), e);
        }
    }
}
