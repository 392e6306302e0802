package io.rampart.registry;

import java.time.Instant;
import java.util.Map;

/**
 * A registered thing, as DescribeThing and ListThings answer it.
 *
 * @param thingTypeName null when the thing has no type
 * @param version starts at 1 and grows with every UpdateThing; checked by {@code expectedVersion}
 */
public record Thing(String name, String id, String arn, String thingTypeName, Map<String, String> attributes,
                    long version, Instant creationDate) {
    public Thing {
        attributes = Map.copyOf(attributes);
    }

    /** AWS reports the thing name as the default MQTT client id of the thing. */
    public String defaultClientId() {
        return name;
    }
}
