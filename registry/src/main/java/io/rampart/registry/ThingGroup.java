package io.rampart.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A static thing group, as DescribeThingGroup answers it.
 *
 * @param parentGroupName null for a root group
 * @param rootToParentThingGroups the ancestors from the root down to the parent; empty for a root group
 */
public record ThingGroup(String name, String id, String arn, long version, String description,
                         Map<String, String> attributes, String parentGroupName,
                         List<GroupRef> rootToParentThingGroups, Instant creationDate) {
    public ThingGroup {
        attributes = Map.copyOf(attributes);
        rootToParentThingGroups = List.copyOf(rootToParentThingGroups);
    }

    public GroupRef ref() {
        return new GroupRef(name, arn);
    }
}
