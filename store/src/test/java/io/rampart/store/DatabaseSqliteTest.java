package io.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@DatabaseTest(Dialect.SQLITE)
class DatabaseSqliteTest extends DatabaseContract {

    @Test
    void sqliteRunsInWalWithForeignKeysAndFullSync(TestDatabase testDb) {
        String pragmas = testDb.database().query(c -> {
            StringBuilder out = new StringBuilder();
            try (Statement s = c.createStatement()) {
                for (String pragma : new String[] {"journal_mode", "foreign_keys", "synchronous", "busy_timeout"}) {
                    try (ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
                        rs.next();
                        out.append(pragma).append('=').append(rs.getString(1)).append(' ');
                    }
                }
            }
            return out.toString().trim();
        });
        assertThat(pragmas).isEqualTo("journal_mode=wal foreign_keys=1 synchronous=2 busy_timeout=" + Database.SQLITE_BUSY_TIMEOUT_MS);
    }

    @Test
    void inMemorySqliteIsRejectedBecauseEachPooledConnectionWouldSeeAnEmptyDatabase() {
        assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:sqlite:/path/file.db");
    }

    @Test
    void unsupportedUrlsAreRejectedWithoutEchoingParameters() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://db/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("secret");
    }
}
