package io.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every module relies on from {@link Database}, run on SQLite and PostgreSQL. */
abstract class DatabaseContract {
    private TestDatabase testDb;
    private Database db;

    @BeforeEach
    void migrate(TestDatabase testDb) {
        this.testDb = testDb;
        this.db = testDb.database();
        db.migrate("storetest");
        db.inTransaction(c -> update(c, "DELETE FROM notes"));
        db.inTransaction(c -> update(c, "DELETE FROM counters"));
    }

    @Test
    void dialectFollowsTheUrl() {
        assertThat(db.dialect()).isEqualTo(testDb.dialect());
        assertThat(Dialect.of(testDb.jdbcUrl())).isEqualTo(testDb.dialect());
    }

    @Test
    void committedWorkIsVisibleAndSurvivesARestart() {
        db.inTransaction(c -> insert(c, "kept", 7));
        db = testDb.reopen();
        db.migrate("storetest");
        assertThat(value("kept")).isEqualTo(7);
    }

    @Test
    void workThatThrowsIsRolledBackAndTheErrorPassesThroughUnchanged() {
        RampartException failure = RampartException.invalidRequest("no");
        assertThatThrownBy(() -> db.inTransaction(c -> {
            insert(c, "rolled-back", 1);
            throw failure;
        })).isSameAs(failure);
        assertThat(count("rolled-back")).isZero();
    }

    @Test
    void uniqueViolationIsRecognised() {
        db.inTransaction(c -> insert(c, "dup", 1));
        boolean[] recognised = new boolean[1];
        db.inTransaction(c -> {
            try {
                insert(c, "dup", 2);
            } catch (SQLException e) {
                recognised[0] = db.isUniqueViolation(e);
            }
            return null;
        });
        assertThat(recognised[0]).isTrue();
    }

    @Test
    void otherConstraintViolationsAreNotUniqueViolations() {
        boolean[] recognised = {true};
        db.query(c -> {
            try {
                update(c, "INSERT INTO notes (id, counter, body) VALUES (1, 'no-such-counter', 'x')");
            } catch (SQLException e) {
                recognised[0] = db.isUniqueViolation(e);
            }
            return null;
        });
        assertThat(recognised[0]).as("foreign keys are enforced and are not unique violations").isFalse();
        assertThat((long) db.query(c -> scalar(c, "SELECT COUNT(*) FROM notes"))).isZero();
    }

    @Test
    void badSqlBecomesAnInternalFailureNamingTheDatabaseCause() {
        assertThatThrownBy(() -> db.query(c -> update(c, "SELECT * FROM no_such_table")))
                .isInstanceOf(RampartException.class)
                .satisfies(e -> assertThat(((RampartException) e).type()).isEqualTo(ErrorType.INTERNAL_FAILURE))
                .hasMessageContaining("no_such_table")
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void concurrentIncrementsInTransactionsLoseNoUpdate() throws Exception {
        db.inTransaction(c -> insert(c, "hits", 0));
        int threads = 6;
        int perThread = 15;
        runConcurrently(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                db.inTransaction(c -> {
                    // Read-then-write: only safe if concurrent transactions serialize or are retried.
                    long current = scalar(c, "SELECT value FROM counters WHERE name = 'hits'"
                            + (db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : ""));
                    return update(c, "UPDATE counters SET value = " + (current + 1) + " WHERE name = 'hits'");
                });
            }
            return null;
        });
        assertThat(value("hits")).isEqualTo(threads * perThread);
    }

    @Test
    void concurrentInsertsOfTheSameKeyGiveExactlyOneSuccess() throws Exception {
        List<Boolean> outcomes = runConcurrently(8, () -> db.inTransaction(c -> {
            try {
                insert(c, "race", 1);
                return true;
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        }));
        assertThat(outcomes).containsOnlyOnce(true);
    }

    @Test
    void migrationsAreIdempotentAndEachComponentKeepsItsOwnHistory() {
        db.migrate("storetest");
        db.migrate("othertest");
        db.migrate("othertest");
        db.inTransaction(c -> update(c, "INSERT INTO other_items (name) VALUES ('a')"));
        assertThat((long) db.query(c -> scalar(c, "SELECT COUNT(*) FROM flyway_storetest_history WHERE success = "
                + (db.dialect() == Dialect.SQLITE ? "1" : "true")))).isPositive();
        assertThat((long) db.query(c -> scalar(c, "SELECT COUNT(*) FROM flyway_othertest_history WHERE script LIKE 'V1__%'"))).isEqualTo(1);
    }

    @Test
    void migratingAnUnknownComponentIsRejectedWithTheExpectedLocation() {
        assertThatThrownBy(() -> db.migrate("nosuchcomponent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db/nosuchcomponent/" + db.dialect().folder());
        assertThatThrownBy(() -> db.migrate("../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondPoolOnTheSameStorageSeesCommittedWork() {
        db.inTransaction(c -> insert(c, "shared", 3));
        Database other = testDb.openAnother();
        assertThat((long) other.query(c -> scalar(c, "SELECT value FROM counters WHERE name = 'shared'"))).isEqualTo(3);
    }

    private <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private long value(String name) {
        return db.query(c -> scalar(c, "SELECT value FROM counters WHERE name = '" + name + "'"));
    }

    private long count(String name) {
        return db.query(c -> scalar(c, "SELECT COUNT(*) FROM counters WHERE name = '" + name + "'"));
    }

    private static int insert(Connection c, String name, long value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO counters (name, value) VALUES (?, ?)")) {
            s.setString(1, name);
            s.setLong(2, value);
            return s.executeUpdate();
        }
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            return s.executeUpdate();
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
