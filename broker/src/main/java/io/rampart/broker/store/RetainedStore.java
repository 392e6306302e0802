package io.rampart.broker.store;

import io.rampart.common.Page;
import io.rampart.messaging.Message;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Retained messages, one per topic (MQTT 5 §3.3.1.3), durable through the same group committer as sessions.
 * Reads block: call them off the network event loop.
 */
public interface RetainedStore {
    /**
     * Stores {@code message} as the topic's retained message, replacing the previous one; an empty payload deletes
     * it (MQTT-3.3.1-6, MQTT-3.3.1-7). Acknowledge the publisher only when the future completes.
     */
    CompletableFuture<Void> retain(Message message);

    /** The unexpired retained messages whose topic matches {@code filter} (sent on SUBSCRIBE, MQTT-3.3.1-9). */
    List<Message> matching(TopicFilter filter, Instant now);

    /** Every unexpired retained message, for the broker's in-memory copy at start-up. */
    List<Message> all(Instant now);

    /** The retained message of {@code topic} if any and unexpired (GetRetainedMessage). */
    Optional<Message> get(Topic topic, Instant now);

    /** Retained messages by topic order, without payloads (ListRetainedMessages). */
    Page<RetainedSummary> list(Page.Request request, Instant now);
}
