package io.rampart.registry;

import java.time.Instant;

/** A policy with its default version's document, as GetPolicy answers it. */
public record Policy(String name, String arn, String document, String defaultVersionId, Instant creationDate,
                     Instant lastModifiedDate, String generationId) {
    public PolicyRef ref() {
        return new PolicyRef(name, arn);
    }
}
