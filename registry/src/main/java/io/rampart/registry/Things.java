package io.rampart.registry;

import io.rampart.common.Page;
import java.util.Map;

/** CreateThing, DescribeThing, UpdateThing, DeleteThing and ListThings with AWS IoT semantics. */
public interface Things {
    /**
     * Creates a thing. As in AWS, repeating the call with the same type and attributes returns the existing
     * thing; the same name with a different configuration is a ResourceAlreadyExistsException.
     */
    Thing create(String thingName, String thingTypeName, Map<String, String> attributes);

    /** The thing, or ResourceNotFoundException. */
    Thing describe(String thingName);

    /** Applies the update and returns the thing with its new version; a deprecated type cannot be newly assigned. */
    Thing update(String thingName, ThingUpdate update);

    /** Deletes the thing; a thing that does not exist is not an error (AWS DeleteThing behaviour). */
    void delete(String thingName, Long expectedVersion);

    /** Things by name, filtered. */
    Page<Thing> list(ThingFilter filter, Page.Request page);
}
