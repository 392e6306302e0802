package io.rampart.messaging;

import io.rampart.common.RampartException;
import java.util.Objects;

/**
 * The options of one subscription (MQTT 5 §3.8.3.1). MQTT 3.1.1 subscriptions use {@link #of(QoS)}.
 *
 * @param qos                    the maximum QoS granted
 * @param noLocal                never deliver this client's own publications through this subscription (MQTT-3.8.3-3)
 * @param retainAsPublished      keep the RETAIN flag of forwarded messages (MQTT-3.3.1-12/13)
 * @param retainHandling         when retained messages are sent on subscribe
 * @param subscriptionIdentifier 1..268,435,455, or 0 for none (MQTT 5 §3.8.2.1.2)
 */
public record SubscriptionOptions(QoS qos, boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling,
                                  int subscriptionIdentifier) {
    /** The largest subscription identifier a variable byte integer can carry. */
    public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

    public SubscriptionOptions {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
        if (subscriptionIdentifier < 0 || subscriptionIdentifier > MAX_SUBSCRIPTION_IDENTIFIER) {
            throw RampartException.invalidRequest(
                    "subscription identifier must be 1.." + MAX_SUBSCRIPTION_IDENTIFIER + ", got " + subscriptionIdentifier);
        }
    }

    /** Plain options: the given QoS, retained messages on subscribe, no identifier. */
    public static SubscriptionOptions of(QoS qos) {
        return new SubscriptionOptions(qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
    }

    /** True when a subscription identifier was given. */
    public boolean hasSubscriptionIdentifier() {
        return subscriptionIdentifier != 0;
    }
}
