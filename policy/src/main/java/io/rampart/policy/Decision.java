package io.rampart.policy;

import java.util.List;

/**
 * The outcome of evaluating policies for one request, with AWS's precedence: an explicit Deny beats an Allow,
 * and without any matching Allow the request is implicitly denied.
 */
public sealed interface Decision {

    /** True only for {@link Allowed}. */
    default boolean isAllowed() {
        return this instanceof Allowed;
    }

    /** At least one statement allowed the request and none denied it. */
    record Allowed(List<StatementMatch> allowing) implements Decision {
        public Allowed {
            allowing = List.copyOf(allowing);
            if (allowing.isEmpty()) {
                throw new IllegalArgumentException("an Allowed decision names at least one allowing statement");
            }
        }
    }

    /** At least one Deny statement matched; it wins over every Allow. */
    record ExplicitDeny(List<StatementMatch> denying) implements Decision {
        public ExplicitDeny {
            denying = List.copyOf(denying);
            if (denying.isEmpty()) {
                throw new IllegalArgumentException("an ExplicitDeny decision names at least one denying statement");
            }
        }
    }

    /** No statement matched: denied by default. */
    record ImplicitDeny() implements Decision {
    }
}
