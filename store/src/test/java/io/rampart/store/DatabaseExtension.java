package io.rampart.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives each {@link DatabaseTest} class its own storage: a temporary SQLite file, or a random PostgreSQL schema
 * selected with {@code currentSchema=} and dropped after the class. See {@link DatabaseTest} for usage.
 */
public final class DatabaseExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DatabaseExtension.class);
    private static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (dialectOf(context) != Dialect.POSTGRESQL) {
            return ConditionEvaluationResult.enabled("SQLite is embedded");
        }
        String problem = postgresProblem(context);
        if (problem == null || isCi()) {
            // On CI an unreachable PostgreSQL must fail the build, which beforeAll does with the reason.
            return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + Dialect.redact(postgresUrl()));
        }
        return ConditionEvaluationResult.disabled("PostgreSQL tests skipped: " + problem
                + " (start PostgreSQL or set RAMPART_TEST_POSTGRES_URL; with CI=true this is a failure)");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Dialect dialect = dialectOf(context);
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        switch (dialect) {
            case SQLITE -> {
                Path dir = Files.createTempDirectory("rampart-test-");
                store.put("sqliteDir", dir);
                store.put("db", new TestDatabase(dialect, "jdbc:sqlite:" + dir.resolve("rampart.db")));
            }
            case POSTGRESQL -> {
                String problem = postgresProblem(context);
                if (problem != null) {
                    throw new IllegalStateException("CI=true and PostgreSQL is required: " + problem);
                }
                String schema = "t_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
                execute(postgresUrl(), "CREATE SCHEMA " + schema);
                store.put("pgSchema", schema);
                String url = postgresUrl() + (postgresUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
                store.put("db", new TestDatabase(dialect, url));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        TestDatabase db = store.remove("db", TestDatabase.class);
        if (db != null) {
            db.closeAll();
        }
        Path dir = store.remove("sqliteDir", Path.class);
        if (dir != null) {
            deleteRecursively(dir);
        }
        String schema = store.remove("pgSchema", String.class);
        if (schema != null) {
            execute(postgresUrl(), "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            TestDatabase db = c.getStore(NAMESPACE).get("db", TestDatabase.class);
            if (db != null) {
                return db;
            }
        }
        throw new ParameterResolutionException("no TestDatabase: annotate the test class with @DatabaseTest");
    }

    private static Dialect dialectOf(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        return AnnotationSupport.findAnnotation(testClass, DatabaseTest.class)
                .orElseThrow(() -> new IllegalStateException(testClass.getName() + " needs @DatabaseTest(Dialect.X)"))
                .value();
    }

    /** Null when PostgreSQL answers; else why not. Probed once per test run and shared by all classes. */
    private static String postgresProblem(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent("postgresProbe", key -> probePostgres(), ProbeResult.class)
                .problem();
    }

    private record ProbeResult(String problem) {
    }

    private static ProbeResult probePostgres() {
        try (Connection connection = connect(postgresUrl())) {
            connection.isValid(3);
            return new ProbeResult(null);
        } catch (SQLException e) {
            return new ProbeResult("cannot connect to " + Dialect.redact(postgresUrl()) + ": " + e.getMessage());
        }
    }

    private static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "3");
        return DriverManager.getConnection(url, properties);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String postgresUrl() {
        String url = System.getenv("RAMPART_TEST_POSTGRES_URL");
        return url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url;
    }

    private static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
