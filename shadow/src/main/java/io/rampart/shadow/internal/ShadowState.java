package io.rampart.shadow.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The stored state of an existing shadow. A null section is absent (never set, or deleted with
 * {@code "desired": null}); each section's metadata mirrors it leaf by leaf with {@code {"timestamp": s}}.
 * Instances are never mutated once built: the engine copies before changing anything.
 */
public record ShadowState(ObjectNode desired, ObjectNode reported, ObjectNode desiredMetadata,
                          ObjectNode reportedMetadata) {
    /** A shadow with neither section, as created by an update whose sections are all null. */
    public static final ShadowState EMPTY = new ShadowState(null, null, null, null);
}
