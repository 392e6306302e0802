package io.rampart.shadow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated update request.
 *
 * @param state       the request's {@code state} object exactly as sent (echoed on {@code update/accepted})
 * @param desired     null when absent, a NullNode to delete the section, else the object to merge
 * @param reported    as {@code desired}
 * @param version     the expected current version, or null for no optimistic locking
 * @param clientToken echoed in every reply, or null
 */
public record UpdateRequest(ObjectNode state, JsonNode desired, JsonNode reported, Long version, String clientToken) {
}
