package io.rampart.registry;

import java.util.List;

/** One question of TestAuthorization: an action on resource ARNs (e.g. {@code arn:aws:iot:R:A:topic/a/b}). */
public record AuthInfo(ActionType actionType, List<String> resources) {
    public AuthInfo {
        resources = List.copyOf(resources);
    }
}
