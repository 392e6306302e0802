package io.rampart.registry;

import io.rampart.policy.PolicyLimits;

/**
 * The configurable AWS IoT quotas the registry enforces.
 *
 * @param maxPolicyVersions AWS default 5
 * @param maxPoliciesPerTarget AWS default 10 policies attached to one certificate or thing group
 * @param maxPolicyDocumentCharacters AWS default 2,048 characters, whitespace not counted
 */
public record RegistryLimits(int maxPolicyVersions, int maxPoliciesPerTarget, int maxPolicyDocumentCharacters) {
    public RegistryLimits {
        if (maxPolicyVersions < 1 || maxPoliciesPerTarget < 1 || maxPolicyDocumentCharacters < 1) {
            throw new IllegalArgumentException("registry limits must be positive, got " + maxPolicyVersions + ", "
                    + maxPoliciesPerTarget + ", " + maxPolicyDocumentCharacters);
        }
    }

    /** The AWS defaults. */
    public static RegistryLimits defaults() {
        return new RegistryLimits(5, 10, PolicyLimits.AWS_MAX_DOCUMENT_CHARACTERS);
    }

    /** The limits a policy document is parsed with. */
    public PolicyLimits policyLimits() {
        return new PolicyLimits(maxPolicyDocumentCharacters);
    }
}
