package io.rampart.broker.store;

import io.rampart.store.Database;
import java.time.Clock;
import java.util.Objects;

/**
 * The broker's durable state on a {@link Database}: persistent sessions and retained messages, sharing one group
 * committer so a PUBLISH that both queues and retains costs one transaction. Construct one per node in the
 * server's wiring; {@link #close()} commits what is queued and stops the committer (close it before the database).
 */
public final class BrokerStorage implements AutoCloseable {
    /** The Flyway component of the broker's tables ({@code db/broker/<dialect>}). */
    public static final String COMPONENT = "broker";

    private final GroupCommitter committer;
    private final SqlSessionStore sessions;
    private final SqlRetainedStore retained;

    private BrokerStorage(Database database, Clock clock, CommitSettings settings) {
        this.committer = new GroupCommitter(database, settings);
        this.sessions = new SqlSessionStore(committer, database, new MessageIds(database), clock);
        this.retained = new SqlRetainedStore(committer, database, clock);
    }

    /** Migrates the broker tables and starts the committer. */
    public static BrokerStorage open(Database database, Clock clock, CommitSettings settings) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        database.migrate(COMPONENT);
        return new BrokerStorage(database, clock, settings);
    }

    /** Persistent sessions. */
    public SessionStore sessions() {
        return sessions;
    }

    /** Retained messages. */
    public RetainedStore retained() {
        return retained;
    }

    /** Group-commit counters (for metrics and benchmarks). */
    public CommitStats stats() {
        return committer.stats();
    }

    @Override
    public void close() {
        committer.close();
    }
}
