package io.rampart.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry thing named by the connection's client id.
 *
 * <p>AWS IoT resolves the {@code iot:Connection.Thing.*} variables only when this thing is attached to the
 * connecting principal; {@code attached} says whether it is. The registry builds this value for the thing whose
 * name equals the client id, as AWS requires ("the value of clientId ... must exactly match the thing name").
 *
 * @param thingName     the thing's name
 * @param thingTypeName the thing type, if the thing has one
 * @param attributes    the thing's attributes
 * @param attached      whether the thing is attached to the certificate (principal) of the request
 */
public record ThingContext(String thingName, Optional<String> thingTypeName, Map<String, String> attributes,
                           boolean attached) {
    public ThingContext {
        Objects.requireNonNull(thingName, "thingName");
        Objects.requireNonNull(thingTypeName, "thingTypeName");
        attributes = Map.copyOf(attributes);
    }

    /** An attached thing without type or attributes. */
    public static ThingContext attached(String thingName) {
        return new ThingContext(thingName, Optional.empty(), Map.of(), true);
    }
}
