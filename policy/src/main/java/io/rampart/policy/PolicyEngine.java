package io.rampart.policy;

import io.rampart.common.AwsScope;
import io.rampart.policy.internal.CompiledStatement;
import io.rampart.policy.internal.RequestScope;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates AWS IoT policies for one request, as AWS IoT does: every statement of every policy is considered;
 * a matching Deny wins over any Allow; with no matching Allow the request is implicitly denied.
 *
 * <p>The caller passes every policy that applies to the principal (those attached to the certificate and, resolved
 * by the registry, those attached to the thing's groups and their parents). Stateless apart from its
 * configuration, so one instance is shared by all threads.
 */
public final class PolicyEngine {
    private final AwsScope scope;
    private final Clock clock;
    private final SubstitutionMode mode;

    /** An engine with Rampart's default {@link SubstitutionMode#STRICT} variable substitution. */
    public PolicyEngine(AwsScope scope, Clock clock) {
        this(scope, clock, SubstitutionMode.STRICT);
    }

    public PolicyEngine(AwsScope scope, Clock clock, SubstitutionMode mode) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** The region and account the engine's requests are built for. */
    public AwsScope scope() {
        return scope;
    }

    /** The decision for a request. */
    public Decision evaluate(List<NamedPolicy> policies, AuthorizationRequest request) {
        return evaluate(policies, request, scopeFor(request));
    }

    /** The decision plus the context values that were needed but missing (TestAuthorization's missingContextValues). */
    public Evaluation evaluateDetailed(List<NamedPolicy> policies, AuthorizationRequest request) {
        RequestScope requestScope = scopeFor(request);
        Decision decision = evaluate(policies, request, requestScope);
        return new Evaluation(decision, requestScope.missing());
    }

    private RequestScope scopeFor(AuthorizationRequest request) {
        Instant now = request.context().time().orElseGet(clock::instant);
        return new RequestScope(request.context(), now, mode);
    }

    private static Decision evaluate(List<NamedPolicy> policies, AuthorizationRequest request, RequestScope scope) {
        String action = request.action();
        String resource = request.resource();
        List<StatementMatch> allowing = null;
        List<StatementMatch> denying = null;
        for (NamedPolicy policy : policies) {
            for (CompiledStatement statement : policy.document().compiled().statements()) {
                if (!statement.applies(action, resource, scope)) {
                    continue;
                }
                StatementMatch match = new StatementMatch(policy.name(), statement.index());
                if (statement.effect() == Effect.DENY) {
                    denying = add(denying, match);
                } else {
                    allowing = add(allowing, match);
                }
            }
        }
        if (denying != null) {
            return new Decision.ExplicitDeny(denying);
        }
        if (allowing != null) {
            return new Decision.Allowed(allowing);
        }
        return new Decision.ImplicitDeny();
    }

    private static List<StatementMatch> add(List<StatementMatch> list, StatementMatch match) {
        List<StatementMatch> result = list == null ? new ArrayList<>(2) : list;
        result.add(match);
        return result;
    }
}
