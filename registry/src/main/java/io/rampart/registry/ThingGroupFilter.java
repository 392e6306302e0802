package io.rampart.registry;

/**
 * The filters of ListThingGroups; any field may be null.
 *
 * @param recursive with {@code parentGroup}: all descendants instead of the direct children; without a parent:
 *                  every group instead of the root groups only (AWS lists all groups by default, so {@code true}
 *                  is the default the API should pass when the caller gives no value)
 */
public record ThingGroupFilter(String parentGroup, String namePrefixFilter, boolean recursive) {
    /** Every group. */
    public static ThingGroupFilter all() {
        return new ThingGroupFilter(null, null, true);
    }
}
