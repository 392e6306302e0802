package io.rampart.defender;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A resource as a finding shows it (AWS NonCompliantResource and RelatedResource have this shape).
 *
 * @param additionalInfo what the check found about it (e.g. {@code notAfter}, a policy witness), sorted by key
 */
public record AuditResource(ResourceType resourceType, ResourceIdentifier resourceIdentifier,
                            Map<String, String> additionalInfo) {
    public AuditResource {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(resourceIdentifier, "resourceIdentifier");
        additionalInfo = java.util.Collections.unmodifiableMap(new TreeMap<>(additionalInfo));
    }
}
