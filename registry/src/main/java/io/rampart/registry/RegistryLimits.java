package io.rampart.registry;

/**
 * The configurable AWS IoT quotas the registry enforces.
 *
 * @param maxPolicyVersions AWS default 5
 * @param maxPoliciesPerTarget AWS default 10 policies attached to one certificate or thing group
 */
public record RegistryLimits(int maxPolicyVersions, int maxPoliciesPerTarget) {
    public RegistryLimits {
        if (maxPolicyVersions < 1 || maxPoliciesPerTarget < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxPolicyVersions + ", " + maxPoliciesPerTarget);
        }
    }

    /** The AWS defaults. */
    public static RegistryLimits defaults() {
        return new RegistryLimits(5, 10);
    }
}
