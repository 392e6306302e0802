package io.rampart.messaging;

import java.util.concurrent.CompletionStage;

/**
 * How in-process services talk to devices without knowing the transport: publish to topics, subscribe with
 * filters, serve reserved topics and observe connections. The broker implements it; services receive it from
 * the server's wiring.
 *
 * <p>Services are trusted: their publications are not checked against {@code iot:Publish}, but every delivery
 * to a device is still checked against that device's {@code iot:Receive}.
 */
public interface MessageBus {
    /**
     * Publishes {@code message} on behalf of {@code service}. The stage completes when the message is routed:
     * for QoS 1 and 2, once it is durable in every matching persistent session; it fails with a
     * {@code RampartException} when the broker cannot take it (e.g. THROTTLING under back-pressure).
     */
    CompletionStage<Void> publish(Origin.Service service, Message message);

    /**
     * Delivers every message whose topic matches {@code filter} to {@code listener}, at most at {@code qos}.
     * A {@code $share/<group>/...} filter shares messages with other members of the group, one member each.
     */
    Registration subscribe(TopicFilter filter, QoS qos, MessageListener listener);

    /**
     * Routes device publications matching {@code filter} (a reserved {@code $aws/...} filter) to {@code handler}.
     * Devices may publish into {@code $aws/} only where a handler is registered; the message also reaches
     * ordinary subscribers of the topic, as on AWS IoT.
     */
    Registration handleReserved(TopicFilter filter, ReservedTopicHandler handler);

    /** Sends every subsequent connection event to {@code listener}. */
    Registration onConnectionEvent(ConnectionListener listener);

    /**
     * Sends every subsequent gateway security event (refused clients, policy denials, session takeovers) to
     * {@code listener}, off the network event loop and without ever making the gateway wait for it.
     */
    Registration onSecurityEvent(SecurityListener listener);
}
