package io.rampart.defender;

import io.rampart.common.AwsScope;
import io.rampart.policy.SubstitutionMode;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * What the audit needs to know about the node itself, beyond the registry.
 *
 * @param scope            the node's region and account (ARNs, the ACCOUNT_SETTINGS resource)
 * @param substitutionMode how the gateway substitutes policy variables (the policy checks reason under it)
 * @param builtInCa        the node's own CA certificate (audited like a registered CA), or empty
 * @param plainListener    the plain, unauthenticated MQTT listener when one is configured
 * @param logging          the node's logging setting, or empty when the node has none to read (the logging check
 *                         then fails with a message instead of guessing)
 */
public record NodeFacts(AwsScope scope, SubstitutionMode substitutionMode, Optional<X509Certificate> builtInCa,
                        Optional<PlainListener> plainListener, Optional<LoggingStatus> logging) {
    public NodeFacts {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(substitutionMode, "substitutionMode");
        Objects.requireNonNull(builtInCa, "builtInCa");
        Objects.requireNonNull(plainListener, "plainListener");
        Objects.requireNonNull(logging, "logging");
    }

    /** The plain listener as configured ({@code --plain-bind}, {@code --plain-port}, {@code --plain-policy}). */
    public record PlainListener(String bindAddress, int port, String policyName) {
        public PlainListener {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(policyName, "policyName");
        }
    }
}
