package io.rampart.shadow.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An accepted update: the new state and version, and the three documents AWS publishes for it.
 *
 * @param delta null when the update must not publish on {@code update/delta} (no desired change, or empty delta)
 */
public record UpdateOutcome(ShadowState state, long version, ObjectNode accepted, ObjectNode documents,
                            ObjectNode delta) {
}
