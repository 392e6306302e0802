package io.rampart.policy;

import java.util.Objects;

/** A policy as stored in the registry: its name, the version in force, and the parsed document. */
public record NamedPolicy(String name, String version, PolicyDocument document) {
    public NamedPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(document, "document");
    }
}
