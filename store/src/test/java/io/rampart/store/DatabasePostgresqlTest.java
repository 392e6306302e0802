package io.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@DatabaseTest(Dialect.POSTGRESQL)
class DatabasePostgresqlTest extends DatabaseContract {

    @Test
    void eachTestClassWorksInItsOwnSchema(TestDatabase testDb) {
        String schema = testDb.database().query(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(schema).startsWith("t_").isNotEqualTo("public");
        assertThat(testDb.jdbcUrl()).contains("currentSchema=" + schema);
    }
}
