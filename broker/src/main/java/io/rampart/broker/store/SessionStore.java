package io.rampart.broker.store;

import io.rampart.broker.subscriptions.Recipient;
import io.rampart.messaging.Message;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.TopicFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Durable state of persistent MQTT sessions (session expiry interval > 0, or MQTT 3.1.1 cleanSession=0):
 * subscriptions, messages queued for the client, outbound in-flight state and inbound QoS 2 packet ids.
 * Sessions with expiry 0 are never stored: the broker keeps them in memory only.
 *
 * <p>Writes return futures completed by the group committer once the write is committed (durable across
 * {@code kill -9}); they never block the caller. A write the committer cannot take (queue full) fails its future
 * with {@code RampartException(THROTTLING)}. Reads ({@link #pending}, {@link #loadAll}) block: call them off the
 * network event loop.
 */
public interface SessionStore {
    /**
     * CONNECT. With {@code cleanStart} any stored session is discarded first (MQTT-3.1.2-4); otherwise a stored,
     * unexpired session is resumed (MQTT-3.1.2-5) and the returned state says {@code present} and carries its
     * subscriptions and unreleased inbound QoS 2 packet ids. A new session is stored only when {@code expiry} is
     * above zero; a resumed one takes the new expiry. Call it for every CONNECT with an expiry above zero, and for
     * a CONNECT with expiry zero when a stored session for the client id may exist (one loaded by {@link #loadAll}
     * or opened since), so that it is resumed or discarded.
     */
    CompletableFuture<StoredSession> open(String clientId, boolean cleanStart, Duration expiry);

    /**
     * The connection ended: the session now expires at {@code disconnectedAt + expiry} (the expiry from CONNECT
     * or as changed by DISCONNECT, MQTT-3.1.2-23). An expiry of zero deletes it now.
     */
    CompletableFuture<Void> close(String clientId, Instant disconnectedAt, Duration expiry);

    /** Discards the session and everything queued for it (clean start, expiry, administrative delete). */
    CompletableFuture<Void> delete(String clientId);

    /** Stores a granted subscription (before SUBACK); replaces the options of an existing one. */
    CompletableFuture<Void> subscribe(String clientId, TopicFilter filter, SubscriptionOptions options);

    /** Removes a subscription (before UNSUBACK). */
    CompletableFuture<Void> unsubscribe(String clientId, TopicFilter filter);

    /**
     * Queues a QoS 1/2 message for the persistent-session {@code recipients} (from the subscription index), storing
     * the payload once. When {@code inbound} is given (a QoS 2 PUBLISH from a persistent-session client), its
     * packet id is recorded in the same transaction, so a resent PUBLISH (DUP) after a crash is recognised
     * (MQTT 5 §4.3.3, method A). The id is assigned at once; the future completes when both are durable:
     * acknowledge the publisher (PUBACK/PUBREC) only then.
     *
     * @param recipients persistent sessions to queue for; deliveries are at {@code min(message QoS, recipient QoS)}
     *                   and recipients whose resulting QoS is 0 are skipped
     */
    Enqueued enqueue(Message message, List<Recipient> recipients, InboundPacket inbound);

    /**
     * The message was sent to {@code clientId} with {@code packetId}. For QoS 2 wait for the future before sending
     * the PUBLISH (a resend after a crash must reuse the packet id, MQTT-4.4.0-1); for QoS 1 there is no need.
     */
    CompletableFuture<Void> markSent(String clientId, long messageId, int packetId);

    /** PUBREC received for an outbound QoS 2 message: after a reconnect, resend PUBREL rather than PUBLISH. */
    CompletableFuture<Void> markReleased(String clientId, long messageId);

    /** PUBACK (QoS 1) or PUBCOMP (QoS 2) received: the delivery is done and its queue entry removed. */
    CompletableFuture<Void> acknowledge(String clientId, long messageId);

    /** PUBREL received from a publisher: forget the inbound QoS 2 packet id recorded by {@link #enqueue}. */
    CompletableFuture<Void> releaseInbound(String clientId, int packetId);

    /**
     * Up to {@code limit} queued or in-flight deliveries of {@code clientId} with message id greater than
     * {@code afterMessageId}, oldest first; expired messages (MQTT-3.3.2-5) are skipped. Page through with the
     * last id returned. Blocking.
     */
    List<QueuedDelivery> pending(String clientId, long afterMessageId, int limit);

    /** Every stored session, for rebuilding the subscription index at start-up. Blocking. */
    void loadAll(Consumer<StoredSession> consumer);

    /**
     * Deletes sessions whose expiry passed at {@code now} (disconnected ones only) and the messages nothing
     * references any more; returns the expired client ids so the broker drops their subscriptions from the index.
     */
    CompletableFuture<List<String>> expire(Instant now);

    /**
     * Bounds the queues of offline sessions, so one chatty subscription cannot fill the disk: drops the oldest
     * deliveries not yet sent ({@link DeliveryState#QUEUED}) of every session holding more than
     * {@code maxQueuedPerSession} of them; in-flight deliveries are kept. Returns how many were dropped (count them).
     * Call it with the broker's limit next to {@link #expire}; between calls a queue may exceed the limit.
     */
    CompletableFuture<Integer> trimQueues(int maxQueuedPerSession);
}
