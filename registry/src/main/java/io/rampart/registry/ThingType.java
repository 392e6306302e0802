package io.rampart.registry;

import java.time.Instant;
import java.util.List;

/**
 * A thing type, as DescribeThingType and ListThingTypes answer it.
 *
 * @param description null when none was given
 * @param deprecationDate null unless {@code deprecated}
 */
public record ThingType(String name, String id, String arn, String description, List<String> searchableAttributes,
                        boolean deprecated, Instant deprecationDate, Instant creationDate) {
    public ThingType {
        searchableAttributes = List.copyOf(searchableAttributes);
    }
}
