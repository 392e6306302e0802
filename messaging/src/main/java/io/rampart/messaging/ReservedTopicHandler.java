package io.rampart.messaging;

/**
 * Serves requests that devices publish to a reserved topic ({@code $aws/things/+/shadow/#} for the shadow
 * service, {@code $aws/things/+/jobs/#} for jobs...). The broker has already authorized the publish
 * ({@code iot:Publish}); the handler answers by publishing on the bus (e.g. {@code .../accepted}).
 */
@FunctionalInterface
public interface ReservedTopicHandler {
    /** Called off the network event loop, in publish order per publisher; may block briefly. */
    void handle(Delivery request);
}
