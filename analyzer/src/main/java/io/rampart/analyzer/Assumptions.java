package io.rampart.analyzer;

import io.rampart.common.AwsScope;
import io.rampart.policy.RequestContext;
import io.rampart.policy.SubstitutionMode;

import java.util.Objects;
import java.util.Optional;

/**
 * What the analyzer may assume about the requests it reasons over.
 *
 * @param scope     the region and account whose ARNs the requests use (witnesses are built in it, and the isolation
 *                  checks look only at resources of this account, as the broker only ever asks about those)
 * @param mode      the engine's variable substitution mode the policies are evaluated under
 * @param requester the one requester to reason about; empty means any device ({@link #anyDevice})
 */
public record Assumptions(AwsScope scope, SubstitutionMode mode, Optional<RequestContext> requester) {
    public Assumptions {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(requester, "requester");
    }

    /**
     * Any device: the client id is a variable, and the thing of that name may or may not be attached. The analyzer
     * instantiates it with representative client ids (fresh values no policy mentions, every literal the policies
     * mention, and MQTT-wildcard values such as {@code +}, {@code #}, {@code x/#}); only {@code iot:ClientId} and the
     * thing's name and attachment may be used by the policies, anything else is reported unsupported. A proof is
     * a proof for each representative (listed in {@link Verdict.Proved#requesters()}), not for every possible id.
     */
    public static Assumptions anyDevice(AwsScope scope, SubstitutionMode mode) {
        return new Assumptions(scope, mode, Optional.empty());
    }

    /** Exactly this requester: every variable and condition key takes its value from the context. */
    public static Assumptions forRequester(AwsScope scope, SubstitutionMode mode, RequestContext requester) {
        return new Assumptions(scope, mode, Optional.of(requester));
    }
}
