package io.rampart.registry.internal;

import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.ThingType;
import io.rampart.registry.ThingTypes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Thing types in {@code reg_thing_types}. */
final class SqlThingTypes implements ThingTypes {
    private static final String COLUMNS = "name, id, description, searchable_attributes, deprecated, deprecation_date, creation_date";
    private final Store store;

    SqlThingTypes(Store store) {
        this.store = store;
    }

    @Override
    public ThingType create(String thingTypeName, String description, List<String> searchableAttributes) {
        Validation.thingTypeName(thingTypeName);
        Validation.description("thingTypeDescription", description);
        List<String> searchable = searchableAttributes == null ? List.of() : List.copyOf(searchableAttributes);
        Validation.searchableAttributes(searchable);
        ThingType type = new ThingType(thingTypeName, Store.newId(), arn(thingTypeName), description, searchable,
                false, null, store.now());
        return store.db.inTransaction(c -> {
            store.insert(c, "thing type '" + thingTypeName + "' already exists",
                    "INSERT INTO reg_thing_types (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    type.name(), type.id(), description, store.toJson(searchable), false, null,
                    type.creationDate().toEpochMilli());
            return type;
        });
    }

    @Override
    public ThingType describe(String thingTypeName) {
        Validation.thingTypeName(thingTypeName);
        return store.db.query(c -> find(c, thingTypeName, "")).orElseThrow(() -> notFound(thingTypeName));
    }

    @Override
    public Page<ThingType> list(String thingTypeName, Page.Request page) {
        List<String> after = PageTokens.decode("thing-types", page.nextToken(), 1);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM reg_thing_types WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (thingTypeName != null) {
            Validation.thingTypeName(thingTypeName);
            sql.append(" AND name = ?");
            args.add(thingTypeName);
        }
        if (after != null) {
            sql.append(" AND name > ?");
            args.add(after.getFirst());
        }
        sql.append(" ORDER BY name LIMIT ?");
        args.add(page.maxResults() + 1);
        List<ThingType> rows = store.db.query(c -> Jdbc.list(c, sql.toString(), this::row, args.toArray()));
        return Pages.of(rows, page.maxResults(), last -> PageTokens.encode("thing-types", last.name()));
    }

    @Override
    public ThingType deprecate(String thingTypeName, boolean undoDeprecate) {
        Validation.thingTypeName(thingTypeName);
        return store.db.inTransaction(c -> {
            ThingType current = find(c, thingTypeName, store.forUpdate()).orElseThrow(() -> notFound(thingTypeName));
            Instant date = undoDeprecate ? null : store.now();
            Jdbc.update(c, "UPDATE reg_thing_types SET deprecated = ?, deprecation_date = ? WHERE name = ?",
                    !undoDeprecate, date == null ? null : date.toEpochMilli(), thingTypeName);
            return new ThingType(current.name(), current.id(), current.arn(), current.description(),
                    current.searchableAttributes(), !undoDeprecate, date, current.creationDate());
        });
    }

    @Override
    public void delete(String thingTypeName) {
        Validation.thingTypeName(thingTypeName);
        store.db.inTransaction(c -> {
            ThingType current = find(c, thingTypeName, store.forUpdate()).orElseThrow(() -> notFound(thingTypeName));
            if (!current.deprecated()) {
                throw RampartException.invalidRequest("thing type '" + thingTypeName
                        + "' must be deprecated (DeprecateThingType) before it can be deleted");
            }
            Instant deletable = current.deprecationDate().plus(DELETE_AFTER_DEPRECATION);
            if (store.now().isBefore(deletable)) {
                throw RampartException.invalidRequest("thing type '" + thingTypeName + "' was deprecated at "
                        + current.deprecationDate() + "; it can be deleted five minutes after that, from " + deletable);
            }
            long users = Jdbc.count(c, "SELECT COUNT(*) FROM reg_things WHERE thing_type = ?", thingTypeName);
            if (users > 0) {
                throw RampartException.invalidRequest("thing type '" + thingTypeName + "' is still used by " + users
                        + " thing(s): change their type with UpdateThing first");
            }
            Jdbc.update(c, "DELETE FROM reg_thing_types WHERE name = ?", thingTypeName);
            return null;
        });
    }

    private Optional<ThingType> find(Connection c, String thingTypeName, String lockSuffix) throws SQLException {
        return Jdbc.first(c, "SELECT " + COLUMNS + " FROM reg_thing_types WHERE name = ?" + lockSuffix,
                this::row, thingTypeName);
    }

    private ThingType row(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        Long deprecationDate = Jdbc.nullableLong(rs, "deprecation_date");
        return new ThingType(name, rs.getString("id"), arn(name), rs.getString("description"),
                store.listFromJson(rs.getString("searchable_attributes")), rs.getBoolean("deprecated"),
                deprecationDate == null ? null : Instant.ofEpochMilli(deprecationDate),
                Instant.ofEpochMilli(rs.getLong("creation_date")));
    }

    private String arn(String name) {
        return store.scope.arn("thingtype", name);
    }

    private static RampartException notFound(String thingTypeName) {
        return RampartException.notFound("thing type '" + thingTypeName + "' does not exist");
    }
}
