package io.rampart.registry.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.Thing;
import io.rampart.registry.ThingFilter;
import io.rampart.registry.ThingUpdate;
import io.rampart.registry.Things;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Things in {@code reg_things}, with their attributes mirrored in {@code reg_thing_attributes} for filtering. */
final class SqlThings implements Things {
    private static final String COLUMNS = "name, id, thing_type, attributes, version, creation_date";
    private final Store store;

    SqlThings(Store store) {
        this.store = store;
    }

    @Override
    public Thing create(String thingName, String thingTypeName, Map<String, String> attributes) {
        Validation.thingName(thingName);
        if (thingTypeName != null) {
            Validation.thingTypeName(thingTypeName);
        }
        Map<String, String> attrs = withoutEmptyValues(attributes == null ? Map.of() : attributes);
        Validation.attributes(attrs);
        Validation.attributeCount(attrs.size(), thingTypeName != null);
        try {
            return store.db.inTransaction(c -> {
                if (thingTypeName != null) {
                    requireUsableType(c, thingTypeName);
                }
                Thing thing = new Thing(thingName, Store.newId(), arn(thingName), thingTypeName, attrs, 1, store.now());
                store.insert(c, "thing '" + thingName + "' already exists with a different configuration",
                        "INSERT INTO reg_things (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                        thing.name(), thing.id(), thingTypeName, store.toJson(attrs), 1L, thing.creationDate().toEpochMilli());
                writeAttributeIndex(c, thingName, attrs);
                return thing;
            });
        } catch (RampartException e) {
            if (e.type() != ErrorType.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
            // AWS: the same name and configuration again succeeds and returns the existing thing.
            Optional<Thing> existing = store.db.query(c -> find(c, thingName));
            if (existing.isPresent() && Objects.equals(existing.get().thingTypeName(), thingTypeName)
                    && existing.get().attributes().equals(attrs)) {
                return existing.get();
            }
            throw e;
        }
    }

    @Override
    public Thing describe(String thingName) {
        Validation.thingName(thingName);
        return store.db.query(c -> find(c, thingName)).orElseThrow(() -> notFound(thingName));
    }

    @Override
    public Thing update(String thingName, ThingUpdate update) {
        Validation.thingName(thingName);
        if (update.removeThingType() && update.thingTypeName() != null) {
            throw RampartException.invalidRequest("give either thingTypeName or removeThingType, not both");
        }
        if (update.thingTypeName() != null) {
            Validation.thingTypeName(update.thingTypeName());
        }
        if (update.attributes() != null) {
            update.attributes().forEach((name, value) -> {
                Validation.attributeName(name);
                Validation.attributeValue(name, value);
            });
        }
        return store.changeAuthorizationInputs(c -> {
            Thing current = Jdbc.first(c, "SELECT " + COLUMNS + " FROM reg_things WHERE name = ?" + store.forUpdate(),
                    this::row, thingName).orElseThrow(() -> notFound(thingName));
            checkVersion(current, update.expectedVersion());
            String type = current.thingTypeName();
            if (update.removeThingType()) {
                type = null;
            } else if (update.thingTypeName() != null && !update.thingTypeName().equals(type)) {
                requireUsableType(c, update.thingTypeName());
                type = update.thingTypeName();
            }
            Map<String, String> attrs = current.attributes();
            if (update.attributes() != null) {
                attrs = merged(current.attributes(), update.attributes(), update.merge());
            }
            Validation.attributeCount(attrs.size(), type != null);
            long version = current.version() + 1;
            Jdbc.update(c, "UPDATE reg_things SET thing_type = ?, attributes = ?, version = ? WHERE name = ?",
                    type, store.toJson(attrs), version, thingName);
            if (!attrs.equals(current.attributes())) {
                Jdbc.update(c, "DELETE FROM reg_thing_attributes WHERE thing_name = ?", thingName);
                writeAttributeIndex(c, thingName, attrs);
            }
            return new Thing(thingName, current.id(), current.arn(), type, attrs, version, current.creationDate());
        });
    }

    @Override
    public void delete(String thingName, Long expectedVersion) {
        Validation.thingName(thingName);
        boolean deleted = store.changeAuthorizationInputs(c -> {
            Optional<Thing> current = Jdbc.first(c, "SELECT " + COLUMNS + " FROM reg_things WHERE name = ?" + store.forUpdate(),
                    this::row, thingName);
            if (current.isEmpty()) {
                return false; // AWS: deleting a thing that does not exist succeeds.
            }
            checkVersion(current.get(), expectedVersion);
            if (Jdbc.exists(c, "SELECT 1 FROM reg_thing_principals WHERE thing_name = ?", thingName)) {
                // The AWS message, word for word, so scripts that match on it keep working.
                throw RampartException.invalidRequest("Cannot delete. Thing " + thingName
                        + " is still attached to one or more principals");
            }
            Jdbc.update(c, "DELETE FROM reg_things WHERE name = ?", thingName);
            return true;
        });
        if (deleted) {
            store.events.thingDeleted(thingName);
        }
    }

    @Override
    public Page<Thing> list(ThingFilter filter, Page.Request page) {
        if (filter.attributeValue() != null && filter.attributeName() == null) {
            throw RampartException.invalidRequest("attributeValue needs attributeName");
        }
        if (filter.attributeName() != null) {
            Validation.attributeName(filter.attributeName());
        }
        if (filter.thingTypeName() != null) {
            Validation.thingTypeName(filter.thingTypeName());
        }
        List<String> after = PageTokens.decode("things", page.nextToken(), 1);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM reg_things t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (after != null) {
            sql.append(" AND t.name > ?");
            args.add(after.getFirst());
        }
        if (filter.thingTypeName() != null) {
            sql.append(" AND t.thing_type = ?");
            args.add(filter.thingTypeName());
        }
        if (filter.attributeName() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM reg_thing_attributes a WHERE a.thing_name = t.name AND a.name = ?");
            args.add(filter.attributeName());
            if (filter.attributeValue() != null) {
                if (filter.usePrefixAttributeValue()) {
                    sql.append(" AND substr(a.value, 1, ?) = ?");
                    args.add(filter.attributeValue().length());
                } else {
                    sql.append(" AND a.value = ?");
                }
                args.add(filter.attributeValue());
            }
            sql.append(")");
        }
        sql.append(" ORDER BY t.name LIMIT ?");
        args.add(page.maxResults() + 1);
        List<Thing> rows = store.db.query(c -> Jdbc.list(c, sql.toString(), this::row, args.toArray()));
        return Pages.of(rows, page.maxResults(), last -> PageTokens.encode("things", last.name()));
    }

    Optional<Thing> find(Connection c, String thingName) throws SQLException {
        return Jdbc.first(c, "SELECT " + COLUMNS + " FROM reg_things WHERE name = ?", this::row, thingName);
    }

    private void requireUsableType(Connection c, String thingTypeName) throws SQLException {
        Boolean deprecated = Jdbc.first(c, "SELECT deprecated FROM reg_thing_types WHERE name = ?",
                rs -> rs.getBoolean(1), thingTypeName).orElseThrow(() -> RampartException.notFound(
                "thing type '" + thingTypeName + "' does not exist"));
        if (deprecated) {
            throw RampartException.invalidRequest("thing type '" + thingTypeName
                    + "' is deprecated: things cannot be newly associated with it (undo the deprecation first)");
        }
    }

    private static void checkVersion(Thing current, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw new RampartException(ErrorType.VERSION_CONFLICT, "thing '" + current.name() + "' is at version "
                    + current.version() + ", not the expected version " + expectedVersion);
        }
    }

    private static void writeAttributeIndex(Connection c, String thingName, Map<String, String> attrs) throws SQLException {
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            Jdbc.update(c, "INSERT INTO reg_thing_attributes (thing_name, name, value) VALUES (?, ?, ?)",
                    thingName, e.getKey(), e.getValue());
        }
    }

    /** AWS: merge keeps other attributes and an empty value removes one; without merge the map replaces them all. */
    static Map<String, String> merged(Map<String, String> current, Map<String, String> given, boolean merge) {
        Map<String, String> out = new TreeMap<>(merge ? current : Map.of());
        given.forEach((name, value) -> {
            if (value.isEmpty()) {
                out.remove(name);
            } else {
                out.put(name, value);
            }
        });
        return Map.copyOf(out);
    }

    private static Map<String, String> withoutEmptyValues(Map<String, String> attributes) {
        return merged(Map.of(), attributes, false);
    }

    private Thing row(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        return new Thing(name, rs.getString("id"), arn(name), rs.getString("thing_type"),
                store.attributesFromJson(rs.getString("attributes")), rs.getLong("version"),
                Instant.ofEpochMilli(rs.getLong("creation_date")));
    }

    private String arn(String thingName) {
        return store.scope.arn("thing", thingName);
    }

    private static RampartException notFound(String thingName) {
        return RampartException.notFound("thing '" + thingName + "' does not exist");
    }
}
