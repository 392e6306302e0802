package io.rampart.bench;

import io.rampart.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A throw-away database for one benchmark trial: a SQLite file in a temporary directory, or a fresh schema in the
 * PostgreSQL of {@code RAMPART_BENCH_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}).
 * {@link #close()} closes the pool and removes the file or drops the schema.
 */
public final class ScratchDatabase implements AutoCloseable {
    private final Database database;
    private final Path sqliteDirectory;
    private final String postgresSchema;

    private ScratchDatabase(Database database, Path sqliteDirectory, String postgresSchema) {
        this.database = database;
        this.sqliteDirectory = sqliteDirectory;
        this.postgresSchema = postgresSchema;
    }

    /** {@code kind} is a benchmark's {@code @Param}: "sqlite" or "postgresql". */
    public static ScratchDatabase open(String kind, String sqliteFileName) throws IOException, SQLException {
        return switch (kind) {
            case "sqlite" -> {
                Path directory = Files.createTempDirectory("rampart-bench-");
                yield new ScratchDatabase(Database.open("jdbc:sqlite:" + directory.resolve(sqliteFileName)), directory, null);
            }
            case "postgresql" -> {
                String schema = "bench_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
                execute("CREATE SCHEMA " + schema);
                String url = postgresUrl() + (postgresUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
                yield new ScratchDatabase(Database.open(url), null, schema);
            }
            default -> throw new IllegalArgumentException("database must be sqlite or postgresql, got '" + kind + "'");
        };
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() throws IOException, SQLException {
        database.close();
        if (sqliteDirectory != null) {
            try (Stream<Path> paths = Files.walk(sqliteDirectory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        if (postgresSchema != null) {
            execute("DROP SCHEMA " + postgresSchema + " CASCADE");
        }
    }

    private static String postgresUrl() {
        String url = System.getenv("RAMPART_BENCH_POSTGRES_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : url;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgresUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
