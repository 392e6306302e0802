package io.rampart.registry.internal;

import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyLimits;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Parses policy documents once: authorization runs on every MQTT connect and publish, and parsing (with pattern
 * compilation) costs far more than a lookup. Keyed by the document text, so a new version is a new entry; the
 * map is cleared when it grows past {@link #MAX_ENTRIES}, which bounds memory without tracking recency.
 */
final class PolicyDocuments {
    static final int MAX_ENTRIES = 4096;
    private final ConcurrentMap<String, PolicyDocument> parsed = new ConcurrentHashMap<>();
    private final PolicyLimits limits;

    PolicyDocuments(PolicyLimits limits) {
        this.limits = limits;
    }

    /** Validates a document submitted by a caller (MalformedPolicyException with statement and field). */
    PolicyDocument validate(String text) {
        PolicyDocument document = PolicyDocument.parse(text, limits);
        remember(text, document);
        return document;
    }

    /** A stored (already validated) document, parsed at most once while cached. */
    PolicyDocument get(String text) {
        PolicyDocument document = parsed.get(text);
        if (document == null) {
            document = PolicyDocument.parse(text, limits);
            remember(text, document);
        }
        return document;
    }

    private void remember(String text, PolicyDocument document) {
        if (parsed.size() >= MAX_ENTRIES) {
            parsed.clear();
        }
        parsed.put(text, document);
    }
}
