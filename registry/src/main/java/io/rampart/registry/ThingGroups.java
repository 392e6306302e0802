package io.rampart.registry;

import io.rampart.common.Page;
import java.util.Map;

/** Static thing groups: create, describe, update, delete, list, membership and hierarchy. */
public interface ThingGroups {
    /** AWS: a group hierarchy is at most 7 levels deep. */
    int MAX_DEPTH = 7;
    /** AWS: a thing can belong to at most 10 static groups. */
    int MAX_GROUPS_PER_THING = 10;

    /**
     * Creates a group under {@code parentGroupName} (null for a root). As in AWS, repeating the call with the
     * same configuration returns the existing group; a different configuration is a ResourceAlreadyExistsException.
     */
    ThingGroup create(String groupName, String parentGroupName, String description, Map<String, String> attributes);

    /** The group, or ResourceNotFoundException. */
    ThingGroup describe(String groupName);

    /**
     * Replaces the description (null keeps it) and the attributes ({@code merge} as in UpdateThing) and
     * returns the group with its new version; {@code expectedVersion} mismatch is a VersionConflictException.
     */
    ThingGroup update(String groupName, String description, Map<String, String> attributes, boolean merge, Long expectedVersion);

    /**
     * Deletes the group and its memberships; a group with child groups is an InvalidRequestException and
     * a group that does not exist is not an error (AWS DeleteThingGroup behaviour).
     */
    void delete(String groupName, Long expectedVersion);

    /** Group names and ARNs, filtered (see {@link ThingGroupFilter}). */
    Page<GroupRef> list(ThingGroupFilter filter, Page.Request page);

    /** AddThingToThingGroup; adding a member again is not an error. */
    void addThing(String groupName, String thingName);

    /** RemoveThingFromThingGroup; removing a non-member is not an error. */
    void removeThing(String groupName, String thingName);

    /** ListThingsInThingGroup: thing names, with {@code recursive} also those of all descendant groups. */
    Page<String> listThings(String groupName, boolean recursive, Page.Request page);

    /** ListThingGroupsForThing: the groups the thing is a direct member of. */
    Page<GroupRef> listGroupsForThing(String thingName, Page.Request page);
}
