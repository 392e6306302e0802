package io.rampart.registry;

import io.rampart.common.Page;
import java.time.Duration;
import java.util.List;

/** CreateThingType, DescribeThingType, ListThingTypes, DeprecateThingType and DeleteThingType. */
public interface ThingTypes {
    /** AWS: "Before you can delete a thing type, wait for five minutes after you deprecate it." */
    Duration DELETE_AFTER_DEPRECATION = Duration.ofMinutes(5);

    /** Creates a type (at most 3 searchable attributes); an existing name is a ResourceAlreadyExistsException. */
    ThingType create(String thingTypeName, String description, List<String> searchableAttributes);

    /** The type, or ResourceNotFoundException. */
    ThingType describe(String thingTypeName);

    /** Types by name; {@code thingTypeName} null lists all, else only that type. */
    Page<ThingType> list(String thingTypeName, Page.Request page);

    /** Deprecates the type (no new things may use it) or, with {@code undoDeprecate}, makes it usable again. */
    ThingType deprecate(String thingTypeName, boolean undoDeprecate);

    /**
     * Deletes a type that has been deprecated for at least {@link #DELETE_AFTER_DEPRECATION} and that no thing
     * uses; otherwise InvalidRequestException saying which condition is missing.
     */
    void delete(String thingTypeName);
}
