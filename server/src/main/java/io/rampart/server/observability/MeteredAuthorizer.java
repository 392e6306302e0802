package io.rampart.server.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rampart.broker.AuthorizationQuery;
import io.rampart.broker.Authorizer;
import io.rampart.policy.Decision;
import java.time.Duration;
import java.util.Objects;

/**
 * Times every policy decision the gateway asks for, by action and outcome ({@code rampart_policy_decision_seconds},
 * a histogram). The broker caches decisions per connection and asks only on a miss, so this measures what a miss
 * costs: the registry read (itself cached, see RegistryAuthorizer) and the policy evaluation.
 */
public final class MeteredAuthorizer implements Authorizer {
    private final Authorizer delegate;
    private final MeterRegistry registry;

    public MeteredAuthorizer(Authorizer delegate, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Decision authorize(AuthorizationQuery query) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            Decision decision = delegate.authorize(query);
            outcome = switch (decision) {
                case Decision.Allowed allowed -> "allowed";
                case Decision.ExplicitDeny deny -> "explicit_deny";
                case Decision.ImplicitDeny deny -> "implicit_deny";
            };
            return decision;
        } finally {
            timer(query.action(), outcome).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String action, String outcome) {
        // The broker asks about five actions; anything else is folded into one label so the series stay few.
        String label = NodeMetrics.MQTT_ACTIONS.contains(action) ? action : "other";
        return Timer.builder("rampart.policy.decision")
                .description("Policy decisions for the MQTT gateway (its per-connection cache misses), by action and outcome")
                .tag("action", label)
                .tag("decision", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }
}
