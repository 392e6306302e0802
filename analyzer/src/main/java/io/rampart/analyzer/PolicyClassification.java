package io.rampart.analyzer;

import java.util.List;
import java.util.Objects;

/**
 * What {@link PolicyAudit#classify} says about one policy, in the terms of Device Defender's
 * IOT_POLICY_OVERLY_PERMISSIVE_CHECK and IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK. Every witness is a request
 * the policy engine allows (the audit re-evaluates it before answering).
 */
public sealed interface PolicyClassification {
    /** AWS's reason code for an overly permissive policy. */
    String BROAD_ACCESS = "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS";

    /** The potential misconfigurations found (also listed when the policy is overly permissive). */
    List<Misconfiguration> misconfigurations();

    /**
     * Broad access to data-plane actions (reason {@link #BROAD_ACCESS}): each witness is an allowed request showing
     * one kind of it (an action on every resource of its type, a device reaching a resource granted to another
     * device by its identity, a subscription to {@code #}).
     */
    record OverlyPermissive(List<Verdict.Counterexample> witnesses, List<Misconfiguration> misconfigurations)
            implements PolicyClassification {
        public OverlyPermissive {
            witnesses = List.copyOf(witnesses);
            misconfigurations = List.copyOf(misconfigurations);
            if (witnesses.isEmpty()) {
                throw new IllegalArgumentException("an overly permissive policy has at least one witness");
            }
        }
    }

    /** Not overly permissive, but a Deny statement probably does not deny what its author meant. */
    record PotentialMisconfiguration(List<Misconfiguration> misconfigurations) implements PolicyClassification {
        public PotentialMisconfiguration {
            misconfigurations = List.copyOf(misconfigurations);
            if (misconfigurations.isEmpty()) {
                throw new IllegalArgumentException("a potential misconfiguration names at least one reason");
            }
        }
    }

    /** Proved neither overly permissive nor misconfigured (for the representative devices the proofs list). */
    record Safe(List<String> requesters) implements PolicyClassification {
        public Safe {
            requesters = List.copyOf(requesters);
        }

        @Override
        public List<Misconfiguration> misconfigurations() {
            return List.of();
        }
    }

    /**
     * The policy uses constructs the analyzer cannot decide for any device (e.g. a condition on
     * {@code aws:SourceIp}); nothing is claimed about it beyond the misconfigurations found.
     */
    record Unsupported(List<String> constructs, List<Misconfiguration> misconfigurations)
            implements PolicyClassification {
        public Unsupported {
            constructs = List.copyOf(constructs);
            misconfigurations = List.copyOf(misconfigurations);
        }
    }

    /** Why a Deny statement looks misconfigured. */
    enum MisconfigurationReason {
        /** A Deny resource uses {@code +} or {@code #}, which policies read literally. */
        POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT,
        /** A Deny on a topic filter is bypassed by subscribing with a wildcard filter the policy allows. */
        TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS
    }

    /**
     * One misconfigured Deny resource.
     *
     * @param statement   the 1-based index of the Deny statement
     * @param resource    the Resource element as written
     * @param explanation what the Deny misses, in words
     * @param witness     an allowed request the Deny seems meant to refuse; null when the policy allows none (for
     *                    the representative devices) but the wildcard is still read literally
     */
    record Misconfiguration(MisconfigurationReason reason, String policyName, int statement, String resource,
                            String explanation, Verdict.Counterexample witness) {
        public Misconfiguration {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(policyName, "policyName");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(explanation, "explanation");
        }
    }
}
