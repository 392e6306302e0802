package io.rampart.broker.store;

import java.util.concurrent.CompletableFuture;

/**
 * A message accepted by {@link SessionStore#enqueue}.
 *
 * @param messageId the id used in {@link SessionStore#markSent}/{@link SessionStore#acknowledge}; 0 when nothing
 *                  needed storing (no persistent recipient at QoS >= 1 and no inbound packet)
 * @param durable   completes when the message and its queue entries are committed
 */
public record Enqueued(long messageId, CompletableFuture<Void> durable) {
}
