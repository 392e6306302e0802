package io.rampart.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection's remembered authorization decisions, keyed by action and resource ARN, least recently used evicted.
 * The map is confined to the connection's event loop: no locking. Invalidated when policies, attachments or
 * certificate status change ({@code MqttBroker#invalidateAuthorizations}).
 *
 * <p>Invariants: {@link #invalidate()} takes effect for every {@link #get} that starts after it returns, from any
 * thread (it bumps a generation that {@code get} checks, rather than scheduling a clear the event loop might run only
 * after reading the next packet); and a decision asked before an invalidation is never stored after it
 * ({@link #put} takes the generation the question was asked at).
 */
final class DecisionCache {
    private final Map<String, Boolean> decisions;
    private final AtomicLong generation = new AtomicLong();
    /** The generation {@link #decisions} holds answers of; event loop only. */
    private long current;

    DecisionCache(int capacity) {
        this.decisions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The remembered decision, or null when it must be asked. */
    Boolean get(String action, String resource) {
        catchUp();
        return decisions.get(key(action, resource));
    }

    /** The generation to pass to {@link #put} for a question asked now. */
    long generation() {
        return generation.get();
    }

    /** Remembers a decision, unless the cache was invalidated since the question was asked at {@code askedAt}. */
    void put(String action, String resource, boolean allowed, long askedAt) {
        catchUp();
        if (askedAt == current) {
            decisions.put(key(action, resource), allowed);
        }
    }

    /** Forgets every decision; any thread. */
    void invalidate() {
        generation.incrementAndGet();
    }

    private void catchUp() {
        long latest = generation.get();
        if (latest != current) {
            decisions.clear();
            current = latest;
        }
    }

    private static String key(String action, String resource) {
        return action + ' ' + resource;
    }
}
