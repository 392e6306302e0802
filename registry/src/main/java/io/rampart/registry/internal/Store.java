package io.rampart.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.AwsScope;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.RampartException;
import io.rampart.registry.RegistryLimits;
import io.rampart.store.Database;
import io.rampart.store.Dialect;
import io.rampart.store.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** What every registry service shares: the database, the ARN scope, the clock, the limits and JSON. */
final class Store {
    final Database db;
    final AwsScope scope;
    final Clock clock;
    final RegistryLimits limits;
    final RegistryEvents events = new RegistryEvents();
    private final ObjectMapper json = Json.newMapper();

    Store(Database db, AwsScope scope, Clock clock, RegistryLimits limits) {
        this.db = db;
        this.scope = scope;
        this.clock = clock;
        this.limits = limits;
    }

    /** Runs a write in a transaction and, once it has committed, tells the listeners authorization inputs changed. */
    <T> T changeAuthorizationInputs(SqlWork<T> work) {
        T result = db.inTransaction(work);
        events.authorizationInputsChanged();
        return result;
    }

    /** Now, truncated to what the database keeps, so a value reads back equal after a restart. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A generation id changes whenever the resource changes (AWS generationId); uniqueness, not secrecy, matters. */
    static String newGenerationId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** {@code SELECT ... FOR UPDATE} on PostgreSQL; SQLite transactions already hold the write lock (IMMEDIATE). */
    String forUpdate() {
        return db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    }

    /** Runs an INSERT; a unique violation becomes ResourceAlreadyExistsException with {@code message}. */
    void insert(Connection c, String message, String sql, Object... args) throws SQLException {
        try {
            Jdbc.update(c, sql, args);
        } catch (SQLException e) {
            if (db.isUniqueViolation(e)) {
                throw new RampartException(ErrorType.RESOURCE_ALREADY_EXISTS, message, e);
            }
            throw e;
        }
    }

    String toJson(Object value) {
        try {
            return json.writeValueAsString(value instanceof Map<?, ?> map ? new TreeMap<>(map) : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode registry JSON", e);
        }
    }

    Map<String, String> attributesFromJson(String text) {
        try {
            return json.readValue(text, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt attributes in the registry: " + e.getOriginalMessage(), e);
        }
    }

    List<String> listFromJson(String text) {
        try {
            return json.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt list in the registry: " + e.getOriginalMessage(), e);
        }
    }
}
