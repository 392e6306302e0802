package io.rampart.api;

import io.rampart.common.RampartException;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageBus;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The data plane's Publish ({@code POST /topics/{topic}?qos=&retain=}): an operator's message into the MQTT
 * gateway, delivered to subscribed devices subject to their {@code iot:Receive} rights.
 */
final class PublishRoutes implements RouteGroup {
    private static final Origin.Service ORIGIN = new Origin.Service("iot-data Publish");

    @Override
    public List<Route> routes(ApiServices services) {
        if (services.dataPlane() == null) {
            return List.of();
        }
        MessageBus bus = services.dataPlane().bus();
        return List.of(ShadowRoutes.dataPlane("POST", "/topics/{topic}", "Publish", Route.Access.WRITE, request -> {
            Topic topic = new Topic(request.pathParam("topic"));
            int qos = request.queryInt("qos").orElse(0);
            // AWS IoT's HTTP Publish accepts QoS 0 and 1 only.
            if (qos != 0 && qos != 1) {
                throw RampartException.invalidRequest("qos must be 0 or 1, got " + qos);
            }
            boolean retain = request.queryBoolean("retain").orElse(false);
            try {
                bus.publish(ORIGIN, Message.of(topic, request.rawBody(), QoS.of(qos), retain)).toCompletableFuture().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RampartException rejected) {
                    throw rejected;
                }
                throw e;
            }
            return ApiResponse.empty();
        }));
    }
}
