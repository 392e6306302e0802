package io.rampart.server;

import io.rampart.broker.BrokerConfig;
import io.rampart.policy.SubstitutionMode;
import io.rampart.server.gateway.SecurityTrailPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * How the node's MQTT gateway evaluates policies, whether it has a plain listener, and how its security events
 * reach the activity trail.
 *
 * @param substitutionMode how policy variables with wildcard characters are substituted ({@code --policy-variables});
 *                         {@link SubstitutionMode#STRICT} by default, see its Javadoc for the difference from AWS
 * @param plain            the optional unauthenticated plain-TCP listener ({@code --plain-port}, {@code --plain-policy},
 *                         {@code --plain-bind}); absent by default
 * @param securityTrail    aggregation of refused clients, policy denials and takeovers in the trail
 */
public record GatewayOptions(SubstitutionMode substitutionMode, Optional<BrokerConfig.PlainListener> plain,
                             SecurityTrailPolicy securityTrail) {
    public GatewayOptions {
        Objects.requireNonNull(substitutionMode, "substitutionMode");
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(securityTrail, "securityTrail");
    }

    /** With the default security trail policy. */
    public GatewayOptions(SubstitutionMode substitutionMode, Optional<BrokerConfig.PlainListener> plain) {
        this(substitutionMode, plain, SecurityTrailPolicy.defaults());
    }

    /** STRICT variables, no plain listener, a one-minute security trail window: the secure defaults. */
    public static GatewayOptions defaults() {
        return new GatewayOptions(SubstitutionMode.STRICT, Optional.empty());
    }

    /** These options with another security trail policy. */
    public GatewayOptions withSecurityTrail(SecurityTrailPolicy policy) {
        return new GatewayOptions(substitutionMode, plain, policy);
    }
}
