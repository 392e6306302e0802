package io.rampart.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection's remembered authorization decisions, keyed by action and resource ARN, least recently used evicted.
 * Confined to the connection's event loop: no locking. Cleared when policies, attachments or certificate status
 * change ({@code MqttBroker#invalidateAuthorizations}).
 */
final class DecisionCache {
    private final Map<String, Boolean> decisions;

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
        return decisions.get(key(action, resource));
    }

    void put(String action, String resource, boolean allowed) {
        decisions.put(key(action, resource), allowed);
    }

    void clear() {
        decisions.clear();
    }

    private static String key(String action, String resource) {
        return action + ' ' + resource;
    }
}
