package io.rampart.server;

import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
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
 * @param limits           message, topic, rate and window limits ({@code --limit NAME=VALUE}); AWS's by default
 */
public record GatewayOptions(SubstitutionMode substitutionMode, Optional<BrokerConfig.PlainListener> plain,
                             SecurityTrailPolicy securityTrail, BrokerLimits limits) {
    public GatewayOptions {
        Objects.requireNonNull(substitutionMode, "substitutionMode");
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(securityTrail, "securityTrail");
        Objects.requireNonNull(limits, "limits");
    }

    /** With the default security trail policy and AWS's limits. */
    public GatewayOptions(SubstitutionMode substitutionMode, Optional<BrokerConfig.PlainListener> plain) {
        this(substitutionMode, plain, SecurityTrailPolicy.defaults(), BrokerLimits.awsDefaults());
    }

    /** STRICT variables, no plain listener, a one-minute security trail window: the secure defaults. */
    public static GatewayOptions defaults() {
        return new GatewayOptions(SubstitutionMode.STRICT, Optional.empty());
    }

    /** These options with another security trail policy. */
    public GatewayOptions withSecurityTrail(SecurityTrailPolicy policy) {
        return new GatewayOptions(substitutionMode, plain, policy, limits);
    }

    /** These options with other gateway limits. */
    public GatewayOptions withLimits(BrokerLimits newLimits) {
        return new GatewayOptions(substitutionMode, plain, securityTrail, newLimits);
    }
}
