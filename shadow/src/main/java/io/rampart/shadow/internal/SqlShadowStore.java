package io.rampart.shadow.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.shadow.ShadowKey;
import io.rampart.store.Database;
import io.rampart.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Shadows in the {@code shadow_documents} table (SQLite or PostgreSQL).
 *
 * <p>Changes to one shadow are serialized: SQLite transactions take the write lock when they begin
 * (IMMEDIATE), and PostgreSQL locks the row with {@code SELECT ... FOR UPDATE}; the first write of a new shadow
 * uses {@code INSERT ... ON CONFLICT DO NOTHING} and, when it loses the race, reads the winner's row and
 * recomputes. So every change is computed from the latest committed version, and two changes expecting the
 * same version cannot both succeed.
 *
 * <p>A deleted shadow keeps its version for {@link #VERSION_MEMORY}: AWS continues the numbering of a shadow
 * re-created within 48 hours of its deletion and starts again from 0 after that.
 */
public final class SqlShadowStore {
    /** How a change is computed from the current shadow; may throw RampartException to reject it (nothing is written). */
    @FunctionalInterface
    public interface Change {
        StoredShadow apply(StoredShadow current);
    }

    private static final String CLASSIC = "";
    static final Duration VERSION_MEMORY = Duration.ofHours(48);

    private final Database db;
    private final ShadowEngine engine;
    private final String lockClause;

    public SqlShadowStore(Database db, ShadowEngine engine) {
        this.db = db;
        this.engine = engine;
        this.lockClause = db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    }

    /** The shadow of {@code key} for the thing incarnation {@code thingId}; ABSENT when there is none. */
    public StoredShadow find(ShadowKey key, String thingId) {
        StoredShadow found = db.query(c -> read(c, key, thingId, "", Instant.EPOCH));
        return found == null ? StoredShadow.ABSENT : found;
    }

    /**
     * Computes and stores a change atomically; returns what {@code change} returned. A change that returns a
     * shadow without state deletes it (the version is kept).
     */
    public StoredShadow change(ShadowKey key, String thingId, Instant now, Change change) {
        return db.inTransaction(c -> {
            while (true) {
                StoredShadow current = read(c, key, thingId, lockClause, now);
                StoredShadow next = change.apply(current != null ? current : StoredShadow.ABSENT);
                if (current != null) {
                    write(c, key, thingId, next, now);
                    return next;
                }
                if (insert(c, key, thingId, next, now)) {
                    return next;
                }
                // Another transaction created the row meanwhile: recompute from its committed state.
            }
        });
    }

    /** Names of the existing named shadows of a thing incarnation, by name. */
    public Page<String> listNamed(String thingName, String thingId, Page.Request page) {
        String after = page.nextToken() == null ? CLASSIC : page.nextToken();
        return db.query(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT shadow_name FROM shadow_documents WHERE thing_name = ?"
                    + " AND thing_id = ? AND document IS NOT NULL AND shadow_name > ? ORDER BY shadow_name LIMIT ?")) {
                s.setString(1, thingName);
                s.setString(2, thingId);
                s.setString(3, after);
                s.setInt(4, page.maxResults() + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            if (names.size() > page.maxResults()) {
                names = names.subList(0, page.maxResults());
                return new Page<>(List.copyOf(names), names.getLast());
            }
            return new Page<>(List.copyOf(names), null);
        });
    }

    /** Removes every shadow row of {@code thingName} (all incarnations); returns how many were removed. */
    public int deleteAll(String thingName) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM shadow_documents WHERE thing_name = ?")) {
                s.setString(1, thingName);
                return s.executeUpdate();
            }
        });
    }

    /**
     * The row for this incarnation, ABSENT for a stale incarnation's row or a shadow deleted more than
     * {@link #VERSION_MEMORY} before {@code now}, or null when there is no row.
     */
    private StoredShadow read(Connection c, ShadowKey key, String thingId, String lock, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT thing_id, version, document, updated_at FROM shadow_documents"
                + " WHERE thing_name = ? AND shadow_name = ?" + lock)) {
            s.setString(1, key.thingName());
            s.setString(2, shadowColumn(key));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (!thingId.equals(rs.getString(1))) {
                    // Left over from a deleted thing of the same name: it does not exist for this thing.
                    return StoredShadow.ABSENT;
                }
                String document = rs.getString(3);
                if (document == null && Instant.ofEpochMilli(rs.getLong(4)).plus(VERSION_MEMORY).isBefore(now)) {
                    return StoredShadow.ABSENT;
                }
                return new StoredShadow(document == null ? null : engine.fromStoredForm(document), rs.getLong(2));
            }
        }
    }

    private void write(Connection c, ShadowKey key, String thingId, StoredShadow next, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE shadow_documents SET thing_id = ?, version = ?,"
                + " document = ?, updated_at = ? WHERE thing_name = ? AND shadow_name = ?")) {
            s.setString(1, thingId);
            s.setLong(2, next.version());
            s.setString(3, next.exists() ? engine.storedForm(next.state()) : null);
            s.setLong(4, now.toEpochMilli());
            s.setString(5, key.thingName());
            s.setString(6, shadowColumn(key));
            if (s.executeUpdate() != 1) {
                throw new RampartException(ErrorType.INTERNAL_FAILURE, "shadow row of " + key + " vanished during an update");
            }
        }
    }

    private boolean insert(Connection c, ShadowKey key, String thingId, StoredShadow next, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO shadow_documents (thing_name, shadow_name, thing_id,"
                + " version, document, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (thing_name, shadow_name) DO NOTHING")) {
            s.setString(1, key.thingName());
            s.setString(2, shadowColumn(key));
            s.setString(3, thingId);
            s.setLong(4, next.version());
            s.setString(5, next.exists() ? engine.storedForm(next.state()) : null);
            s.setLong(6, now.toEpochMilli());
            return s.executeUpdate() == 1;
        }
    }

    private static String shadowColumn(ShadowKey key) {
        return key.isClassic() ? CLASSIC : key.shadowName();
    }
}
