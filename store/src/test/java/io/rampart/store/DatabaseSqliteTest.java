package io.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
    void aKillDashNineLosesNoCommittedTransaction(TestDatabase testDb) throws Exception {
        String url = testDb.jdbcUrl().replace("rampart.db", "crash.db");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 200 && (line = out.readLine()) != null) {
                acknowledged.add(line);
            }
            writer.destroyForcibly(); // SIGKILL: no shutdown hooks, no pool close, no checkpoint
            writer.waitFor();
        }
        assertThat(acknowledged).hasSize(200);
        try (Database reopened = Database.open(url)) {
            List<String> stored = reopened.query(c -> {
                List<String> names = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM counters")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                return names;
            });
            assertThat(stored).containsAll(acknowledged);
        }
    }

    @Test
    void inMemorySqliteIsRejectedBecauseEachPooledConnectionWouldSeeAnEmptyDatabase() {
        assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:sqlite:/path/file.db");
    }

    @Test
    void anUnreachableDatabaseFailsFastWithoutEchoingParameters() {
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/x?user=u&password=secret&connectTimeout=2"))
                .isInstanceOf(RampartException.class)
                .satisfies(e -> assertThat(((RampartException) e).type()).isEqualTo(ErrorType.SERVICE_UNAVAILABLE))
                .hasMessageContaining("cannot open database jdbc:postgresql://127.0.0.1:1/x")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Database.open("jdbc:sqlite:/no/such/directory/rampart.db"))
                .isInstanceOf(RampartException.class)
                .hasMessageContaining("/no/such/directory/rampart.db");
    }

    @Test
    void unsupportedUrlsAreRejectedWithoutEchoingParameters() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://db/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("secret");
    }
}
