package io.rampart.server;

import io.rampart.broker.BrokerConfig;
import io.rampart.policy.SubstitutionMode;
import java.util.Objects;
import java.util.Optional;

/**
 * How the node's MQTT gateway evaluates policies and whether it has a plain listener.
 *
 * @param substitutionMode how policy variables with wildcard characters are substituted ({@code --policy-variables});
 *                         {@link SubstitutionMode#STRICT} by default, see its Javadoc for the difference from AWS
 * @param plain            the optional unauthenticated plain-TCP listener ({@code --plain-port}, {@code --plain-policy},
 *                         {@code --plain-bind}); absent by default
 */
public record GatewayOptions(SubstitutionMode substitutionMode, Optional<BrokerConfig.PlainListener> plain) {
    public GatewayOptions {
        Objects.requireNonNull(substitutionMode, "substitutionMode");
        Objects.requireNonNull(plain, "plain");
    }

    /** STRICT variables, no plain listener: the secure defaults. */
    public static GatewayOptions defaults() {
        return new GatewayOptions(SubstitutionMode.STRICT, Optional.empty());
    }
}
