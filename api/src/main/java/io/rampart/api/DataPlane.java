package io.rampart.api;

import io.rampart.messaging.MessageBus;
import io.rampart.shadow.Shadows;
import java.util.Objects;

/**
 * What the AWS IoT data plane ({@code iot-data}, SigV4 signing name {@code iotdata}) is served from.
 *
 * @param shadows the Device Shadow service
 * @param bus     the MQTT gateway's bus, for Publish
 */
public record DataPlane(Shadows shadows, MessageBus bus) {
    /** SigV4 signing name of the AWS IoT data plane. */
    public static final String SIGNING_NAME = "iotdata";

    public DataPlane {
        Objects.requireNonNull(shadows, "shadows");
        Objects.requireNonNull(bus, "bus");
    }
}
