package io.rampart.broker;

import io.rampart.policy.Decision;

/**
 * Answers every authorization question the broker asks (iot:Connect, iot:Publish, iot:RetainPublish,
 * iot:Subscribe, iot:Receive). The server wires an implementation backed by the registry's attached policies and
 * the policy engine.
 *
 * <p>The broker caches decisions per connection (see {@link MqttBroker#invalidateAuthorizations}), so this is
 * called on a cache miss only, always on the broker's blocking executor: an implementation may query a database.
 */
@FunctionalInterface
public interface Authorizer {
    /** The decision for {@code query}; an exception counts as a denial and is logged. */
    Decision authorize(AuthorizationQuery query);
}
