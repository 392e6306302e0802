package io.rampart.registry;

import java.util.Map;

/**
 * The changes of one UpdateThing call.
 *
 * @param thingTypeName new type, or null to keep the current one
 * @param removeThingType true to drop the type (cannot be combined with a {@code thingTypeName})
 * @param attributes null to keep the attributes; with {@code merge}, an empty value removes that attribute
 * @param merge false replaces all attributes with {@code attributes}; true merges them in
 * @param expectedVersion null, or the version the thing must have (else VersionConflictException)
 */
public record ThingUpdate(String thingTypeName, boolean removeThingType, Map<String, String> attributes,
                          boolean merge, Long expectedVersion) {
    public ThingUpdate {
        attributes = attributes == null ? null : Map.copyOf(attributes);
    }

    /** Only replaces (or, with merge, merges) the attributes. */
    public static ThingUpdate attributes(Map<String, String> attributes, boolean merge) {
        return new ThingUpdate(null, false, attributes, merge, null);
    }
}
