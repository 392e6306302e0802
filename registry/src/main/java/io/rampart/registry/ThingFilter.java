package io.rampart.registry;

/**
 * The filters of ListThings; every field may be null.
 *
 * @param usePrefixAttributeValue true matches {@code attributeValue} as a prefix
 */
public record ThingFilter(String attributeName, String attributeValue, String thingTypeName, boolean usePrefixAttributeValue) {
    /** No filter: every thing. */
    public static ThingFilter all() {
        return new ThingFilter(null, null, null, false);
    }
}
