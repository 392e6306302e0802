package io.rampart.analyzer;

import io.rampart.common.AwsScope;
import io.rampart.policy.CertificateContext;
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
 * @param requester   the one requester to reason about; empty means any device ({@link #anyDevice})
 * @param certificate for any device: the certificate every device connects with, so {@code iot:Certificate.*}
 *                    keys are fixed (empty: they are unsupported for any device)
 */
public record Assumptions(AwsScope scope, SubstitutionMode mode, Optional<RequestContext> requester,
                          Optional<CertificateContext> certificate) {
    public Assumptions {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(certificate, "certificate");
        if (requester.isPresent() && certificate.isPresent()) {
            throw new IllegalArgumentException("a concrete requester carries its own certificate");
        }
    }

    public Assumptions(AwsScope scope, SubstitutionMode mode, Optional<RequestContext> requester) {
        this(scope, mode, requester, Optional.empty());
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

    /** Any device connecting with this certificate: as {@link #anyDevice}, with the certificate's keys fixed. */
    public static Assumptions anyDeviceWith(AwsScope scope, SubstitutionMode mode, CertificateContext certificate) {
        return new Assumptions(scope, mode, Optional.empty(), Optional.of(certificate));
    }

    /** Exactly this requester: every variable and condition key takes its value from the context. */
    public static Assumptions forRequester(AwsScope scope, SubstitutionMode mode, RequestContext requester) {
        return new Assumptions(scope, mode, Optional.of(requester));
    }
}
