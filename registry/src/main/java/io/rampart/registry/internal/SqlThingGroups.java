package io.rampart.registry.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.GroupRef;
import io.rampart.registry.ThingGroup;
import io.rampart.registry.ThingGroupFilter;
import io.rampart.registry.ThingGroups;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Static thing groups in {@code reg_thing_groups}. Each group stores its path from the root ("a/b/c"), fixed at
 * creation because AWS never re-parents a static group; ancestors and descendants follow from it.
 */
final class SqlThingGroups implements ThingGroups {
    private static final String COLUMNS = "name, id, parent_name, path, description, attributes, version, creation_date";
    private final Store store;

    SqlThingGroups(Store store) {
        this.store = store;
    }

    @Override
    public ThingGroup create(String groupName, String parentGroupName, String description, Map<String, String> attributes) {
        Validation.thingGroupName(groupName);
        if (parentGroupName != null) {
            Validation.thingGroupName(parentGroupName);
        }
        Validation.description("thingGroupDescription", description);
        Map<String, String> attrs = SqlThings.merged(Map.of(), attributes == null ? Map.of() : attributes, false);
        Validation.attributes(attrs);
        try {
            return store.db.inTransaction(c -> {
                String path = groupName;
                if (parentGroupName != null) {
                    String parentPath = Jdbc.first(c, "SELECT path FROM reg_thing_groups WHERE name = ?",
                            rs -> rs.getString(1), parentGroupName)
                            .orElseThrow(() -> RampartException.notFound("parent thing group '" + parentGroupName + "' does not exist"));
                    path = parentPath + "/" + groupName;
                    if (depth(path) > MAX_DEPTH) {
                        throw RampartException.invalidRequest("thing group hierarchies are at most " + MAX_DEPTH
                                + " levels deep; '" + parentGroupName + "' is already at level " + depth(parentPath));
                    }
                }
                Instant now = store.now();
                String id = Store.newId();
                store.insert(c, "thing group '" + groupName + "' already exists with a different configuration",
                        "INSERT INTO reg_thing_groups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        groupName, id, parentGroupName, path, description, store.toJson(attrs), 1L, now.toEpochMilli());
                return group(groupName, id, parentGroupName, path, description, attrs, 1, now);
            });
        } catch (RampartException e) {
            if (e.type() != ErrorType.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
            // AWS: the same name and configuration again succeeds.
            Optional<ThingGroup> existing = store.db.query(c -> find(c, groupName, false));
            if (existing.isPresent() && Objects.equals(existing.get().parentGroupName(), parentGroupName)
                    && Objects.equals(existing.get().description(), description)
                    && existing.get().attributes().equals(attrs)) {
                return existing.get();
            }
            throw e;
        }
    }

    @Override
    public ThingGroup describe(String groupName) {
        Validation.thingGroupName(groupName);
        return store.db.query(c -> find(c, groupName, false)).orElseThrow(() -> notFound(groupName));
    }

    @Override
    public ThingGroup update(String groupName, String description, Map<String, String> attributes, boolean merge,
                             Long expectedVersion) {
        Validation.thingGroupName(groupName);
        Validation.description("thingGroupDescription", description);
        if (attributes != null) {
            attributes.forEach((name, value) -> {
                Validation.attributeName(name);
                Validation.attributeValue(name, value);
            });
        }
        return store.db.inTransaction(c -> {
            ThingGroup current = find(c, groupName, true).orElseThrow(() -> notFound(groupName));
            checkVersion(current, expectedVersion);
            String newDescription = description == null ? current.description() : description;
            Map<String, String> attrs = attributes == null ? current.attributes()
                    : SqlThings.merged(current.attributes(), attributes, merge);
            long version = current.version() + 1;
            Jdbc.update(c, "UPDATE reg_thing_groups SET description = ?, attributes = ?, version = ? WHERE name = ?",
                    newDescription, store.toJson(attrs), version, groupName);
            return new ThingGroup(groupName, current.id(), current.arn(), version, newDescription, attrs,
                    current.parentGroupName(), current.rootToParentThingGroups(), current.creationDate());
        });
    }

    @Override
    public void delete(String groupName, Long expectedVersion) {
        Validation.thingGroupName(groupName);
        store.changeAuthorizationInputs(c -> {
            Optional<ThingGroup> current = find(c, groupName, true);
            if (current.isEmpty()) {
                return null; // AWS: deleting a group that does not exist succeeds.
            }
            checkVersion(current.get(), expectedVersion);
            if (Jdbc.exists(c, "SELECT 1 FROM reg_thing_groups WHERE parent_name = ?", groupName)) {
                throw RampartException.invalidRequest("thing group '" + groupName
                        + "' has child groups: delete or move them first");
            }
            Jdbc.update(c, "DELETE FROM reg_policy_attachments WHERE target_kind = ? AND target_name = ?",
                    Targets.THING_GROUP, groupName);
            Jdbc.update(c, "DELETE FROM reg_thing_groups WHERE name = ?", groupName);
            return null;
        });
    }

    @Override
    public Page<GroupRef> list(ThingGroupFilter filter, Page.Request page) {
        List<String> after = PageTokens.decode("thing-groups", page.nextToken(), 1);
        return store.db.query(c -> {
            StringBuilder sql = new StringBuilder("SELECT name FROM reg_thing_groups WHERE 1 = 1");
            List<Object> args = new ArrayList<>();
            if (filter.parentGroup() != null) {
                Validation.thingGroupName(filter.parentGroup());
                String parentPath = pathOf(c, filter.parentGroup());
                if (filter.recursive()) {
                    sql.append(" AND substr(path, 1, ?) = ?");
                    args.add(parentPath.length() + 1);
                    args.add(parentPath + "/");
                } else {
                    sql.append(" AND parent_name = ?");
                    args.add(filter.parentGroup());
                }
            } else if (!filter.recursive()) {
                sql.append(" AND parent_name IS NULL");
            }
            if (filter.namePrefixFilter() != null) {
                Validation.thingGroupName(filter.namePrefixFilter());
                sql.append(" AND substr(name, 1, ?) = ?");
                args.add(filter.namePrefixFilter().length());
                args.add(filter.namePrefixFilter());
            }
            if (after != null) {
                sql.append(" AND name > ?");
                args.add(after.getFirst());
            }
            sql.append(" ORDER BY name LIMIT ?");
            args.add(page.maxResults() + 1);
            List<GroupRef> rows = Jdbc.list(c, sql.toString(), rs -> ref(rs.getString(1)), args.toArray());
            return Pages.of(rows, page.maxResults(), last -> PageTokens.encode("thing-groups", last.groupName()));
        });
    }

    @Override
    public void addThing(String groupName, String thingName) {
        Validation.thingGroupName(groupName);
        Validation.thingName(thingName);
        store.changeAuthorizationInputs(c -> {
            pathOf(c, groupName);
            // Locks the thing (PostgreSQL) so concurrent additions cannot push it past the group limit.
            requireThing(c, thingName, store.forUpdate());
            if (Jdbc.exists(c, "SELECT 1 FROM reg_thing_group_members WHERE group_name = ? AND thing_name = ?",
                    groupName, thingName)) {
                return null;
            }
            long groups = Jdbc.count(c, "SELECT COUNT(*) FROM reg_thing_group_members WHERE thing_name = ?", thingName);
            if (groups >= MAX_GROUPS_PER_THING) {
                throw new RampartException(ErrorType.LIMIT_EXCEEDED, "thing '" + thingName + "' is already in "
                        + MAX_GROUPS_PER_THING + " thing groups, the most a thing can belong to");
            }
            Jdbc.update(c, "INSERT INTO reg_thing_group_members (group_name, thing_name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    groupName, thingName);
            return null;
        });
    }

    @Override
    public void removeThing(String groupName, String thingName) {
        Validation.thingGroupName(groupName);
        Validation.thingName(thingName);
        store.changeAuthorizationInputs(c -> {
            pathOf(c, groupName);
            requireThing(c, thingName);
            Jdbc.update(c, "DELETE FROM reg_thing_group_members WHERE group_name = ? AND thing_name = ?", groupName, thingName);
            return null;
        });
    }

    @Override
    public Page<String> listThings(String groupName, boolean recursive, Page.Request page) {
        Validation.thingGroupName(groupName);
        List<String> after = PageTokens.decode("group-things", page.nextToken(), 1);
        return store.db.query(c -> {
            String path = pathOf(c, groupName);
            StringBuilder sql = new StringBuilder("SELECT DISTINCT m.thing_name FROM reg_thing_group_members m");
            List<Object> args = new ArrayList<>();
            if (recursive) {
                sql.append(" JOIN reg_thing_groups g ON g.name = m.group_name WHERE (g.name = ? OR substr(g.path, 1, ?) = ?)");
                args.add(groupName);
                args.add(path.length() + 1);
                args.add(path + "/");
            } else {
                sql.append(" WHERE m.group_name = ?");
                args.add(groupName);
            }
            if (after != null) {
                sql.append(" AND m.thing_name > ?");
                args.add(after.getFirst());
            }
            sql.append(" ORDER BY m.thing_name LIMIT ?");
            args.add(page.maxResults() + 1);
            List<String> rows = Jdbc.list(c, sql.toString(), rs -> rs.getString(1), args.toArray());
            return Pages.of(rows, page.maxResults(), last -> PageTokens.encode("group-things", last));
        });
    }

    @Override
    public Page<GroupRef> listGroupsForThing(String thingName, Page.Request page) {
        Validation.thingName(thingName);
        return store.db.query(c -> {
            requireThing(c, thingName);
            Page<String> names = Pages.ofColumn(c, "reg_thing_group_members", "thing_name", thingName, "group_name",
                    "thing-groups-of-thing", page);
            return new Page<>(names.items().stream().map(this::ref).toList(), names.nextToken());
        });
    }

    /** The path of an existing group, or ResourceNotFoundException. */
    String pathOf(Connection c, String groupName) throws SQLException {
        return Jdbc.first(c, "SELECT path FROM reg_thing_groups WHERE name = ?", rs -> rs.getString(1), groupName)
                .orElseThrow(() -> notFound(groupName));
    }

    /** The names of the groups on a path, root first: "a/b/c" gives [a, b, c]. */
    static List<String> namesOnPath(String path) {
        return Arrays.asList(path.split("/"));
    }

    private Optional<ThingGroup> find(Connection c, String groupName, boolean lock) throws SQLException {
        return Jdbc.first(c, "SELECT " + COLUMNS + " FROM reg_thing_groups WHERE name = ?" + (lock ? store.forUpdate() : ""),
                rs -> group(rs.getString("name"), rs.getString("id"), rs.getString("parent_name"), rs.getString("path"),
                        rs.getString("description"), store.attributesFromJson(rs.getString("attributes")),
                        rs.getLong("version"), Instant.ofEpochMilli(rs.getLong("creation_date"))),
                groupName);
    }

    private ThingGroup group(String name, String id, String parent, String path, String description,
                             Map<String, String> attrs, long version, Instant created) {
        List<String> names = namesOnPath(path);
        List<GroupRef> rootToParent = names.subList(0, names.size() - 1).stream().map(this::ref).toList();
        return new ThingGroup(name, id, store.scope.arn("thinggroup", name), version, description, attrs, parent,
                rootToParent, created);
    }

    private static void requireThing(Connection c, String thingName) throws SQLException {
        requireThing(c, thingName, "");
    }

    private static void requireThing(Connection c, String thingName, String lockSuffix) throws SQLException {
        if (!Jdbc.exists(c, "SELECT 1 FROM reg_things WHERE name = ?" + lockSuffix, thingName)) {
            throw RampartException.notFound("thing '" + thingName + "' does not exist");
        }
    }

    private static void checkVersion(ThingGroup current, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw new RampartException(ErrorType.VERSION_CONFLICT, "thing group '" + current.name() + "' is at version "
                    + current.version() + ", not the expected version " + expectedVersion);
        }
    }

    private GroupRef ref(String name) {
        return new GroupRef(name, store.scope.arn("thinggroup", name));
    }

    private static int depth(String path) {
        return namesOnPath(path).size();
    }

    private static RampartException notFound(String groupName) {
        return RampartException.notFound("thing group '" + groupName + "' does not exist");
    }
}
