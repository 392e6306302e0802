package io.rampart.trail.logging;

import io.rampart.common.RampartException;
import io.rampart.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The node's logging options and per-component levels (AWS IoT's Set/GetV2LoggingOptions, SetV2LoggingLevel,
 * ListV2LoggingLevels, DeleteV2LoggingLevel, and the v1 Set/GetLoggingOptions), kept in the node's database and
 * handed to an {@link Applier} (the server's Logback wiring) at start and after every change.
 *
 * <p>Per-target levels: AWS's target types name devices (THING_GROUP, CLIENT_ID, SOURCE_IP, PRINCIPAL_ID); Rampart
 * does not filter its logs per device, and serves one target type of its own, {@value #COMPONENT_TARGET}, whose
 * target name is a Rampart component ({@code broker}, {@code api}, ...), i.e. the loggers under
 * {@code io.rampart.<component>}. Other target types are refused with an InvalidRequestException rather than stored
 * and ignored, so a caller never believes a level took effect when it did not.
 *
 * <p>Invariant: {@link #state} is what the database holds, replaced only after a committed write, under this object's
 * monitor (writes are rare; reads are lock-free). Nodes sharing a PostgreSQL database read the options at start;
 * a change made through one node reaches the others at their next start.
 */
public final class LoggingConfiguration implements LoggingSettings {
    /** The only target type Rampart serves in SetV2LoggingLevel / ListV2LoggingLevels / DeleteV2LoggingLevel. */
    public static final String COMPONENT_TARGET = "RAMPART_COMPONENT";
    /** AWS's target types, known but not served (they select devices, which Rampart's logs are not filtered by). */
    public static final Set<String> DEVICE_TARGETS = Set.of("DEFAULT", "THING_GROUP", "CLIENT_ID", "SOURCE_IP", "PRINCIPAL_ID");
    static final int MAX_ROLE_ARN = 2048;

    /** Receives the options in force and the component levels, at start (if ever set) and after every change. */
    @FunctionalInterface
    public interface Applier {
        void apply(LoggingOptions options, Map<String, LogLevel> componentLevels);
    }

    /** What the database holds; {@code levels} sorted by component name and unmodifiable. */
    private record State(LoggingOptions options, boolean configured, Map<String, LogLevel> levels) {
        State {
            levels = Collections.unmodifiableMap(new TreeMap<>(levels));
        }
    }

    private final Database database;
    private final Set<String> components;
    private final Applier applier;
    private final Clock clock;
    private volatile State state;

    private LoggingConfiguration(Database database, Set<String> components, Applier applier, Clock clock, State state) {
        this.database = database;
        this.components = components;
        this.applier = applier;
        this.clock = clock;
        this.state = state;
    }

    /**
     * Migrates the {@code logging} tables, reads what was set before and, if anything was, applies it.
     *
     * @param components      the component names a level may be set for (their loggers are {@code io.rampart.<name>})
     * @param startupDefaults what {@link #current()} answers while nothing was ever set (the node's log configuration)
     */
    public static LoggingConfiguration open(Database database, Set<String> components, LoggingOptions startupDefaults,
                                            Applier applier, Clock clock) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(startupDefaults, "startupDefaults");
        Objects.requireNonNull(applier, "applier");
        Objects.requireNonNull(clock, "clock");
        database.migrate("logging");
        State loaded = database.query(connection -> load(connection, startupDefaults));
        LoggingConfiguration configuration = new LoggingConfiguration(database,
                Collections.unmodifiableSortedSet(new TreeSet<>(components)), applier, clock, loaded);
        if (loaded.configured() || !loaded.levels().isEmpty()) {
            applier.apply(loaded.options(), loaded.levels());
        }
        return configuration;
    }

    @Override
    public LoggingOptions current() {
        return state.options();
    }

    /** Whether the options were ever set through the API (false: {@link #current()} is the start-up default). */
    public boolean configured() {
        return state.configured();
    }

    /** The component names a level may be set for, sorted. */
    public Set<String> components() {
        return components;
    }

    /** SetV2LoggingOptions (and, with the v1 shape, SetLoggingOptions): replaces the options, applies them at once. */
    public synchronized void setOptions(LoggingOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.roleArn() != null) {
            checkRoleArn(options.roleArn());
        }
        long now = clock.millis();
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM logging_options WHERE id = 1")) {
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO logging_options (id, role_arn, default_log_level, disable_all_logs, updated_at) VALUES (1, ?, ?, ?, ?)")) {
                insert.setString(1, options.roleArn());
                insert.setString(2, options.defaultLogLevel().name());
                insert.setInt(3, options.disableAllLogs() ? 1 : 0);
                insert.setLong(4, now);
                insert.executeUpdate();
            }
            return null;
        });
        publish(new State(options, true, state.levels()));
    }

    /** SetV2LoggingLevel: the level of one target; only {@value #COMPONENT_TARGET} targets are served. */
    public synchronized void setLevel(String targetType, String targetName, LogLevel level) {
        Objects.requireNonNull(level, "level");
        String component = component(targetType, targetName);
        long now = clock.millis();
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM logging_levels WHERE target_type = ? AND target_name = ?")) {
                delete.setString(1, COMPONENT_TARGET);
                delete.setString(2, component);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO logging_levels (target_type, target_name, log_level, updated_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, COMPONENT_TARGET);
                insert.setString(2, component);
                insert.setString(3, level.name());
                insert.setLong(4, now);
                insert.executeUpdate();
            }
            return null;
        });
        Map<String, LogLevel> levels = new TreeMap<>(state.levels());
        levels.put(component, level);
        publish(new State(state.options(), state.configured(), levels));
    }

    /** DeleteV2LoggingLevel: the component logs at the default level again; ResourceNotFound if it had no level. */
    public synchronized void deleteLevel(String targetType, String targetName) {
        String component = component(targetType, targetName);
        int deleted = database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM logging_levels WHERE target_type = ? AND target_name = ?")) {
                delete.setString(1, COMPONENT_TARGET);
                delete.setString(2, component);
                return delete.executeUpdate();
            }
        });
        if (deleted == 0) {
            throw RampartException.notFound("no log level is set for " + COMPONENT_TARGET + " " + component);
        }
        Map<String, LogLevel> levels = new TreeMap<>(state.levels());
        levels.remove(component);
        publish(new State(state.options(), state.configured(), levels));
    }

    /**
     * ListV2LoggingLevels: the levels set, by component name; {@code targetType} filters (empty: all). An AWS device
     * target type lists nothing, since none can be set.
     */
    public List<ComponentLogLevel> levels(Optional<String> targetType) {
        if (targetType.isPresent() && !targetType.get().equals(COMPONENT_TARGET)) {
            checkKnownTargetType(targetType.get());
            return List.of();
        }
        return state.levels().entrySet().stream().map(e -> new ComponentLogLevel(e.getKey(), e.getValue())).toList();
    }

    private void publish(State next) {
        state = next;
        applier.apply(next.options(), next.levels());
    }

    private String component(String targetType, String targetName) {
        if (targetType == null || targetType.isEmpty()) {
            throw RampartException.invalidRequest("targetType is required");
        }
        if (!targetType.equals(COMPONENT_TARGET)) {
            checkKnownTargetType(targetType);
            throw RampartException.invalidRequest("targetType " + targetType + " is not supported: Rampart does not "
                    + "filter its logs per device; use targetType " + COMPONENT_TARGET + " with a component name ("
                    + String.join(", ", components) + ")");
        }
        if (targetName == null || targetName.isEmpty()) {
            throw RampartException.invalidRequest("targetName is required: a Rampart component (" + String.join(", ", components) + ")");
        }
        if (!components.contains(targetName)) {
            throw RampartException.invalidRequest("targetName '" + targetName + "' is not a Rampart component; choose one of "
                    + String.join(", ", components));
        }
        return targetName;
    }

    private static void checkKnownTargetType(String targetType) {
        if (!DEVICE_TARGETS.contains(targetType)) {
            throw RampartException.invalidRequest("targetType must be one of " + COMPONENT_TARGET + ", "
                    + String.join(", ", new TreeSet<>(DEVICE_TARGETS)) + ", got '" + targetType + "'");
        }
    }

    private static void checkRoleArn(String roleArn) {
        if (roleArn.length() > MAX_ROLE_ARN || !roleArn.matches("arn:[a-z-]+:iam::\\d{12}:role/.+")) {
            throw RampartException.invalidRequest("roleArn must be an IAM role ARN (arn:aws:iam::123456789012:role/NAME) of at most "
                    + MAX_ROLE_ARN + " characters, got '" + roleArn + "'");
        }
    }

    private static State load(Connection connection, LoggingOptions startupDefaults) throws SQLException {
        LoggingOptions options = startupDefaults;
        boolean configured = false;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT role_arn, default_log_level, disable_all_logs FROM logging_options WHERE id = 1");
             ResultSet rows = select.executeQuery()) {
            if (rows.next()) {
                options = new LoggingOptions(rows.getString(1), LogLevel.valueOf(rows.getString(2)), rows.getInt(3) != 0);
                configured = true;
            }
        }
        Map<String, LogLevel> levels = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT target_name, log_level FROM logging_levels WHERE target_type = ?")) {
            select.setString(1, COMPONENT_TARGET);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    levels.put(rows.getString(1), LogLevel.valueOf(rows.getString(2)));
                }
            }
        }
        return new State(options, configured, levels);
    }
}
