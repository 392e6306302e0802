package io.rampart.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a fresh, isolated database of the given dialect: a temporary SQLite file, or a
 * random schema in the machine's PostgreSQL ({@code RAMPART_TEST_POSTGRES_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). Test methods, constructors and lifecycle
 * methods receive it as a {@link TestDatabase} parameter.
 *
 * <p>Write a contract once as an abstract class and run it on both databases with two empty subclasses:
 * <pre>
 * &#64;DatabaseTest(Dialect.SQLITE)     class ThingsSqliteTest extends ThingsContract {}
 * &#64;DatabaseTest(Dialect.POSTGRESQL) class ThingsPostgresqlTest extends ThingsContract {}
 * </pre>
 * When PostgreSQL is unreachable its classes are skipped with the reason, unless {@code CI=true}: then they fail.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(DatabaseExtension.class)
public @interface DatabaseTest {
    Dialect value();
}
