package io.rampart.analyzer.internal;

import io.rampart.analyzer.Assumptions;
import io.rampart.analyzer.IsolationCheck;
import io.rampart.analyzer.IsolationReport;
import io.rampart.analyzer.IsolationSpec;
import io.rampart.analyzer.PolicyAnalyzer;
import io.rampart.analyzer.PolicyAudit;
import io.rampart.analyzer.PolicyClassification;
import io.rampart.analyzer.PolicyDiff;
import io.rampart.analyzer.PolicyExplanation;
import io.rampart.analyzer.Verdict;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.policy.SubstitutionMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.rampart.analyzer.internal.RandomPolicies.SCOPE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5 item 2: the analyzer and the policy engine never disagree. Random policies and requests; every witness is
 * replayed through {@link PolicyEngine#evaluate}, and every proof is attacked with a random search of the engine.
 */
class AnalyzerAgreesWithEnginePropertiesTest {
    private static final int SEARCH = 150;
    private final PolicyAnalyzer analyzer = new PolicyAnalyzer();

    private static PolicyEngine engine(SubstitutionMode mode) {
        return new PolicyEngine(SCOPE, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), mode);
    }

    private static boolean allows(SubstitutionMode mode, List<NamedPolicy> policies, AuthorizationRequest request) {
        return engine(mode).evaluate(policies, request).isAllowed();
    }

    private static String describe(List<NamedPolicy> policies) {
        return policies.stream().map(p -> p.document().text()).toList().toString();
    }

    @Property(tries = 500)
    void theCompiledLanguageContainsExactlyTheRequestsTheEngineAllows(@ForAll long seed, @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        List<NamedPolicy> policies = random.policySet();
        RequestContext requester = random.requester();
        PolicyCompiler.Compiled compiled = new PolicyCompiler(SCOPE, mode, false).compile(policies, requester);
        assertThat(compiled.unsupported()).isEmpty();
        for (int i = 0; i < 40; i++) {
            AuthorizationRequest request = random.request(List.of(policies), requester);
            assertThat(Solver.accepts(compiled.allowed(), request.action(), request.resource()))
                    .as("%s for %s", request, describe(policies))
                    .isEqualTo(allows(mode, policies, request));
        }
    }

    @Property(tries = 500)
    void subsetWitnessesAreConfirmedAndSubsetProofsSurviveRandomSearch(@ForAll long seed,
                                                                        @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        List<NamedPolicy> p = random.policySet();
        // Half the references contain P, so proofs are about policies that allow something.
        List<NamedPolicy> r = seed % 2 == 0 ? random.widened(p) : random.policySet();
        RequestContext requester = random.requester();

        Verdict verdict = analyzer.isSubsetOf(p, r, Assumptions.forRequester(SCOPE, mode, requester));
        Statistics.collect(verdict.getClass().getSimpleName());

        switch (verdict) {
            case Verdict.Counterexample c -> {
                assertThat(allows(mode, p, c.request())).as("P allows %s: %s", c.request(), describe(p)).isTrue();
                assertThat(allows(mode, r, c.request())).as("R denies %s: %s", c.request(), describe(r)).isFalse();
            }
            case Verdict.Proved proved -> {
                for (int i = 0; i < SEARCH; i++) {
                    AuthorizationRequest request = random.request(List.of(p, r), requester);
                    if (allows(mode, p, request)) {
                        Statistics.label("allowed requests searched against proofs").collect(true);
                        assertThat(allows(mode, r, request)).as("proved P ⊆ R, but %s: P=%s R=%s", request,
                                describe(p), describe(r)).isTrue();
                    }
                }
            }
            case Verdict.Unsupported u -> throw new AssertionError("nothing unsupported was generated: " + u);
        }
        // Both outcomes must really be exercised, or the property proves nothing.
        Statistics.coverage(coverage -> {
            coverage.check("Proved").percentage(percent -> percent > 5);
            coverage.check("Counterexample").percentage(percent -> percent > 5);
        });
    }

    @Property(tries = 60)
    void anyDeviceWitnessesAreConfirmedAndProofsHoldForEveryRepresentativeDevice(@ForAll long seed,
                                                                                  @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        List<NamedPolicy> p = random.policySet();
        List<NamedPolicy> r = seed % 2 == 0 ? random.widened(p) : random.policySet();

        Verdict verdict = analyzer.isSubsetOf(p, r, Assumptions.anyDevice(SCOPE, mode));
        Statistics.collect(verdict.getClass().getSimpleName());

        switch (verdict) {
            case Verdict.Counterexample c -> {
                assertThat(allows(mode, p, c.request())).as("P allows %s", c.request()).isTrue();
                assertThat(allows(mode, r, c.request())).as("R denies %s", c.request()).isFalse();
            }
            case Verdict.Proved proved -> {
                List<Requesters.Requester> devices = Requesters.anyDevice(List.of(p, r));
                assertThat(proved.requesters()).hasSize(devices.size());
                for (Requesters.Requester device : devices) {
                    for (int i = 0; i < 20; i++) {
                        AuthorizationRequest request = random.request(List.of(p, r), device.context());
                        if (allows(mode, p, request)) {
                            Statistics.label("allowed requests searched against proofs").collect(true);
                            assertThat(allows(mode, r, request)).as("proved, but %s", request).isTrue();
                        }
                    }
                }
            }
            case Verdict.Unsupported u -> throw new AssertionError("nothing unsupported was generated: " + u);
        }
    }

    @Property(tries = 150)
    void diffWitnessesAreConfirmedInTheirDirection(@ForAll long seed, @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        List<NamedPolicy> old = random.policySet();
        List<NamedPolicy> neu = random.policySet();
        RequestContext requester = random.requester();

        PolicyDiff diff = analyzer.diff(old, neu, Assumptions.forRequester(SCOPE, mode, requester));

        assertThat(diff.unsupported()).isEmpty();
        for (Verdict.Counterexample added : diff.added()) {
            assertThat(allows(mode, neu, added.request()) && !allows(mode, old, added.request())).isTrue();
        }
        for (Verdict.Counterexample removed : diff.removed()) {
            assertThat(allows(mode, old, removed.request()) && !allows(mode, neu, removed.request())).isTrue();
        }
        assertThat(diff.added().stream().map(c -> c.request().action().toLowerCase()).distinct().count())
                .isEqualTo(diff.added().size());
    }

    @Property(tries = 200)
    void isolationWitnessesAreAllowedAndPublishProofsSurviveAnIndependentNamespaceCheck(
            @ForAll long seed, @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        List<NamedPolicy> policies = random.policySet();
        RequestContext requester = random.requester();
        String id = requester.clientId().orElseThrow();

        IsolationReport report = analyzer.checkDeviceIsolation(policies, new IsolationSpec("a"),
                Assumptions.forRequester(SCOPE, mode, requester));

        for (IsolationCheck check : IsolationCheck.values()) {
            Statistics.label(check.name()).collect(report.verdict(check).getClass().getSimpleName());
            if (report.verdict(check) instanceof Verdict.Counterexample c) {
                assertThat(allows(mode, policies, c.request())).as("%s: %s", check, c.request()).isTrue();
            }
            assertThat(report.verdict(check)).isNotInstanceOf(Verdict.Unsupported.class);
        }
        if (report.verdict(IsolationCheck.PUBLISH_OUTSIDE_NAMESPACE) instanceof Verdict.Proved) {
            for (int i = 0; i < SEARCH; i++) {
                AuthorizationRequest request = random.request(List.of(policies), requester);
                String topicArn = SCOPE.arnPrefix() + "topic/";
                if (request.action().equalsIgnoreCase("iot:Publish") && request.resource().startsWith(topicArn)
                        && allows(mode, policies, request)) {
                    String topic = request.resource().substring(topicArn.length());
                    assertThat(topic.equals("a/" + id) || topic.startsWith("a/" + id + "/")
                            || topic.equals("$aws/things/" + id) || topic.startsWith("$aws/things/" + id + "/"))
                            .as("proved isolated, but %s is allowed: %s", request, describe(policies)).isTrue();
                }
            }
        }
    }

    @Property(tries = 80)
    void crossDeviceWitnessesAreAllowedForTheirDeviceAndTheSharerButNotForAnOutsider(@ForAll long seed,
                                                                                     @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        List<NamedPolicy> policies = random.policySet();

        Verdict verdict = analyzer.checkCrossDeviceAccess(policies, Assumptions.anyDevice(SCOPE, mode));
        Statistics.collect(verdict.getClass().getSimpleName());

        if (verdict instanceof Verdict.Counterexample c) {
            assertThat(allows(mode, policies, c.request())).as("%s: %s", c.request(), describe(policies)).isTrue();
            boolean attached = c.request().context().thing().isPresent();
            RequestContext outsider = Requesters.outsiders(List.of(policies)).get(attached ? 0 : 1).context();
            AuthorizationRequest asOutsider = new AuthorizationRequest(c.request().action(), c.request().resource(),
                    outsider);
            assertThat(allows(mode, policies, asOutsider)).as("outsider %s: %s", asOutsider, describe(policies))
                    .isFalse();
            boolean shared = Requesters.anyDevice(List.of(policies)).stream()
                    .filter(d -> d.context().thing().isPresent() == attached
                            && !d.context().clientId().equals(c.request().context().clientId()))
                    .anyMatch(d -> allows(mode, policies,
                            new AuthorizationRequest(c.request().action(), c.request().resource(), d.context())));
            assertThat(shared).as("shared %s: %s", c.request(), describe(policies)).isTrue();
        }
        assertThat(verdict).isNotInstanceOf(Verdict.Unsupported.class);
    }

    @Property(tries = 60)
    void auditWitnessesAreAllowedByTheEngine(@ForAll long seed, @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        NamedPolicy policy = random.policySet().get(0);

        // classify re-evaluates every witness and throws if the engine disagrees; this checks it independently.
        PolicyClassification classification = new PolicyAudit(SCOPE, mode).classify(policy);
        Statistics.collect(classification.getClass().getSimpleName());

        List<Verdict.Counterexample> witnesses = new java.util.ArrayList<>();
        if (classification instanceof PolicyClassification.OverlyPermissive o) {
            witnesses.addAll(o.witnesses());
        }
        classification.misconfigurations().stream().map(PolicyClassification.Misconfiguration::witness)
                .filter(java.util.Objects::nonNull).forEach(witnesses::add);
        for (Verdict.Counterexample witness : witnesses) {
            assertThat(allows(mode, List.of(policy), witness.request())).as("%s: %s", witness.request(),
                    describe(List.of(policy))).isTrue();
        }
    }

    @Property(tries = 200)
    void explainAlwaysAgrees(@ForAll long seed, @ForAll SubstitutionMode mode) {
        RandomPolicies random = new RandomPolicies(seed);
        List<NamedPolicy> policies = random.policySet();
        RequestContext requester = random.requester();
        AuthorizationRequest request = random.request(List.of(policies), requester);

        PolicyExplanation explanation = analyzer.explain(policies, request, SCOPE, mode,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

        assertThat(explanation.analyzerAllows()).isPresent();
        assertThat(explanation.agrees()).as("%s: %s", request, describe(policies)).isTrue();
        assertThat(explanation.decision().isAllowed()).isEqualTo(allows(mode, policies, request));
    }
}
