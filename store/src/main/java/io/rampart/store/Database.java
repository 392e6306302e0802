package io.rampart.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * A pooled connection to Rampart's SQL store: an embedded SQLite file or a PostgreSQL database.
 *
 * <p>Each module owns its tables: it calls {@link #migrate(String)} with its component name and keeps its
 * migrations under {@code db/<component>/<dialect>} (and/or {@code db/<component>/common} for SQL both
 * dialects accept), with its own Flyway history table {@code flyway_<component>_history}.
 *
 * <p>Work runs through {@link #inTransaction(SqlWork)} (writes, consistent multi-statement reads) or
 * {@link #query(SqlWork)} (single-statement reads in auto-commit). Both retry transient contention
 * (SQLite busy/locked, PostgreSQL serialization failures and deadlocks), so the work must be repeatable.
 */
public final class Database implements AutoCloseable {
    /** How long an SQLite connection waits for the write lock before SQLITE_BUSY reaches us. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 5_000;
    private static final int MAX_ATTEMPTS = 8;
    private static final int SQLITE_POOL_SIZE = 4;
    private static final int POSTGRESQL_POOL_SIZE = 10;

    private final Dialect dialect;
    private final HikariDataSource pool;
    private final String description;

    private Database(Dialect dialect, HikariDataSource pool, String description) {
        this.dialect = dialect;
        this.pool = pool;
        this.description = description;
    }

    /**
     * Opens a pool on {@code jdbc:sqlite:/path/file.db} or {@code jdbc:postgresql://host:port/db[?user=..&currentSchema=..]}.
     * The SQLite file is created if missing (its directory must exist).
     */
    public static Database open(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("rampart-" + dialect.folder());
        switch (dialect) {
            case SQLITE -> {
                if (jdbcUrl.contains(":memory:") || jdbcUrl.contains("mode=memory")) {
                    // Every pooled connection would get its own empty in-memory database.
                    throw new IllegalArgumentException("in-memory SQLite is not supported; give a file: jdbc:sqlite:/path/file.db");
                }
                config.setDataSource(sqliteDataSource(jdbcUrl));
                config.setMaximumPoolSize(SQLITE_POOL_SIZE);
            }
            case POSTGRESQL -> {
                config.setJdbcUrl(jdbcUrl);
                config.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
            }
        }
        config.setMinimumIdle(1);
        config.setInitializationFailTimeout(1);
        try {
            return new Database(dialect, new HikariDataSource(config), Dialect.redact(jdbcUrl));
        } catch (RuntimeException e) {
            throw new RampartException(ErrorType.SERVICE_UNAVAILABLE,
                    "cannot open database " + Dialect.redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
    }

    private static SQLiteDataSource sqliteDataSource(String jdbcUrl) {
        SQLiteConfig config = new SQLiteConfig();
        // WAL: readers never block the writer and the writer never blocks readers.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL (not NORMAL): in WAL mode NORMAL survives a process kill -9 but can lose the last commits on a
        // power cut or OS crash; registry writes are rare next to reads, so we pay the fsync per commit.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        // IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue on busy_timeout
        // instead of both reading and then failing the lock upgrade with SQLITE_BUSY (which no timeout helps).
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(jdbcUrl);
        return dataSource;
    }

    /** Which SQL dialect this database speaks. */
    public Dialect dialect() {
        return dialect;
    }

    /** The pooled data source, for code that needs plain JDBC (migrations, tools). */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * Applies the migrations of {@code component} (lower-case letters, digits and '_') found under
     * {@code classpath:db/<component>/<dialect>} and {@code classpath:db/<component>/common}.
     */
    public void migrate(String component) {
        if (!component.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("component must match [a-z][a-z0-9_]*, got '" + component + "'");
        }
        List<String> locations = new ArrayList<>();
        for (String folder : List.of(dialect.folder(), "common")) {
            String path = "db/" + component + "/" + folder;
            if (Database.class.getClassLoader().getResource(path) != null
                    || Thread.currentThread().getContextClassLoader().getResource(path) != null) {
                locations.add("classpath:" + path);
            }
        }
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("no migrations for component '" + component + "': expected db/"
                    + component + "/" + dialect.folder() + " or db/" + component + "/common on the classpath");
        }
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                .locations(locations.toArray(String[]::new))
                .table("flyway_" + component + "_history")
                // Other components' tables live in the same schema: start this component's history at
                // version 0 so its V1 still runs when the schema already holds someone else's tables.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws; retried on contention. */
    public <T> T inTransaction(SqlWork<T> work) {
        return withRetry(work, true);
    }

    /** Runs {@code work} on an auto-commit connection (each statement its own snapshot); retried on contention. */
    public <T> T query(SqlWork<T> work) {
        return withRetry(work, false);
    }

    private <T> T withRetry(SqlWork<T> work, boolean transactional) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(work, transactional);
            } catch (SQLException e) {
                if (!isTransient(e) || attempt >= MAX_ATTEMPTS) {
                    throw new RampartException(ErrorType.INTERNAL_FAILURE,
                            "database operation failed on " + description + ": " + e.getMessage(), e);
                }
                // Jittered backoff so two retrying writers do not collide again in lock step.
                long pauseNanos = 1_000_000L * attempt * (1 + ThreadLocalRandom.current().nextInt(5));
                LockSupport.parkNanos(pauseNanos);
            }
        }
    }

    private <T> T runOnce(SqlWork<T> work, boolean transactional) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            if (!transactional) {
                return work.run(connection);
            }
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietlyInto(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void rollbackQuietlyInto(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    /** True when {@code e} is a unique or primary-key violation (SQLite constraint codes, PostgreSQL 23505). */
    public boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                int code = s.getResultCode().code;
                // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
                if (code == 2067 || code == 1555) {
                    return true;
                }
                if (code == 19 && s.getMessage() != null
                        && (s.getMessage().contains("UNIQUE constraint failed") || s.getMessage().contains("PRIMARY KEY"))) {
                    return true;
                }
            } else if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** True when retrying the same work can succeed: lock contention, serialization failure, deadlock. */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                int primary = s.getResultCode().code & 0xff;
                if (primary == 5 || primary == 6) { // SQLITE_BUSY, SQLITE_LOCKED
                    return true;
                }
            } else if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Closes the pool; committed work is already durable. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Database[" + description + "]";
    }
}
