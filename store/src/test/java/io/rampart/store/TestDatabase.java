package io.rampart.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The database of one test class: its URL, the currently open {@link Database}, and a way to simulate a restart.
 * Everything it opened is closed, and its storage deleted, after the class.
 */
public final class TestDatabase {
    private final Dialect dialect;
    private final String jdbcUrl;
    private final List<Database> opened = new ArrayList<>();
    private Database current;

    TestDatabase(Dialect dialect, String jdbcUrl) {
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        this.current = track(Database.open(jdbcUrl));
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The JDBC URL of this class's isolated storage (temporary SQLite file or PostgreSQL schema). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The open database. */
    public synchronized Database database() {
        return current;
    }

    /** Closes the current pool and opens a new one on the same storage, as a node restart would. */
    public synchronized Database reopen() {
        current.close();
        current = track(Database.open(jdbcUrl));
        return current;
    }

    /** Opens an additional, independent pool on the same storage (a second node); closed after the class. */
    public synchronized Database openAnother() {
        return track(Database.open(jdbcUrl));
    }

    private Database track(Database database) {
        opened.add(database);
        return database;
    }

    synchronized void closeAll() {
        opened.forEach(Database::close);
        opened.clear();
    }

    @Override
    public String toString() {
        return dialect.toString();
    }
}
