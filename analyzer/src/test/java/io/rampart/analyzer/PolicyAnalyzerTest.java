package io.rampart.analyzer;

import io.rampart.common.RampartException;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.policy.SubstitutionMode;
import io.rampart.policy.ThingContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.rampart.analyzer.Policies.SCOPE;
import static io.rampart.analyzer.Policies.allow;
import static io.rampart.analyzer.Policies.deny;
import static io.rampart.analyzer.Policies.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyAnalyzerTest {
    private final PolicyAnalyzer analyzer = new PolicyAnalyzer();
    private final Assumptions strict = Assumptions.anyDevice(SCOPE, SubstitutionMode.STRICT);
    private final Assumptions compatible = Assumptions.anyDevice(SCOPE, SubstitutionMode.AWS_COMPATIBLE);
    private final IsolationSpec devices = new IsolationSpec("devices");

    private static Decision evaluate(List<NamedPolicy> policies, AuthorizationRequest request, SubstitutionMode mode) {
        return new PolicyEngine(SCOPE, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), mode)
                .evaluate(policies, request);
    }

    private static Verdict.Counterexample counterexample(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Counterexample.class);
        return (Verdict.Counterexample) verdict;
    }

    @Test
    void iotStarOnStarIsOverlyPermissiveWithAWitnessTheEngineAllows() {
        List<NamedPolicy> everything = of(allow("\"iot:*\"", "\"*\""));

        Verdict.Counterexample found = counterexample(analyzer.checkOverlyPermissive(everything, strict));

        assertThat(found.explanation()).contains("iot:Connect", "iot:Publish", "iot:Subscribe", "iot:UpdateJobExecution");
        assertThat(evaluate(everything, found.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
    }

    @Test
    void topicStarIsOverlyPermissiveForPublishOnly() {
        List<NamedPolicy> publishAnywhere = of(allow("\"iot:Publish\"", "\"ARN:topic/*\""),
                allow("\"iot:Subscribe\"", "\"ARN:topicfilter/devices/*\""));

        Verdict.Counterexample found = counterexample(analyzer.checkOverlyPermissive(publishAnywhere, strict));

        assertThat(found.request().action()).isEqualTo("iot:Publish");
        assertThat(found.explanation()).doesNotContain("iot:Subscribe");
        assertThat(evaluate(publishAnywhere, found.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
    }

    @Test
    void aPerThingPolicyIsProvedIsolatedAndNotOverlyPermissiveInStrictMode() {
        IsolationReport report = analyzer.checkDeviceIsolation(Policies.perThing(), devices, strict);

        assertThat(report.verdicts()).hasSize(IsolationCheck.values().length);
        assertThat(report.verdicts().values()).allMatch(v -> v instanceof Verdict.Proved);
        assertThat(report.isolated()).isTrue();
        Verdict.Proved proved = (Verdict.Proved) report.verdict(IsolationCheck.SUBSCRIBE_OUTSIDE_NAMESPACE);
        assertThat(proved.requesters()).anyMatch(r -> r.contains("'+'")).anyMatch(r -> r.contains("/#'"));
        assertThat(analyzer.checkOverlyPermissive(Policies.perThing(), strict)).isInstanceOf(Verdict.Proved.class);
    }

    @Test
    void theSamePerThingPolicyLetsAWildcardClientIdEscapeUnderAwsCompatibleSubstitution() {
        IsolationReport report = analyzer.checkDeviceIsolation(Policies.perThing(), devices, compatible);

        Verdict.Counterexample escape = counterexample(report.verdict(IsolationCheck.SUBSCRIBE_OUTSIDE_NAMESPACE));
        String clientId = escape.request().context().clientId().orElseThrow();
        assertThat(clientId).containsAnyOf("+", "#");
        assertThat(escape.request().action()).isEqualTo("iot:Subscribe");
        assertThat(escape.request().resource()).startsWith(SCOPE.arnPrefix() + "topicfilter/devices/" + clientId);
        assertThat(evaluate(Policies.perThing(), escape.request(), SubstitutionMode.AWS_COMPATIBLE).isAllowed()).isTrue();
        assertThat(evaluate(Policies.perThing(), escape.request(), SubstitutionMode.STRICT).isAllowed()).isFalse();
        // Publishing is unaffected: a topic name containing + or # is never a wildcard.
        assertThat(report.verdict(IsolationCheck.PUBLISH_OUTSIDE_NAMESPACE)).isInstanceOf(Verdict.Proved.class);
    }

    @Test
    void clientIdWithHashWidensASubscriptionOnlyUnderAwsCompatible() {
        List<NamedPolicy> policy = of(allow("\"iot:Subscribe\"", "\"ARN:topicfilter/devices/${iot:ClientId}\""));
        RequestContext hashId = RequestContext.builder().clientId("a/#").build();

        Verdict.Counterexample escape = counterexample(analyzer.checkDeviceIsolation(policy, devices,
                Assumptions.forRequester(SCOPE, SubstitutionMode.AWS_COMPATIBLE, hashId))
                .verdict(IsolationCheck.SUBSCRIBE_OUTSIDE_NAMESPACE));

        assertThat(escape.request().resource()).isEqualTo(SCOPE.arn("topicfilter", "devices/a/#"));
        assertThat(evaluate(policy, escape.request(), SubstitutionMode.AWS_COMPATIBLE).isAllowed()).isTrue();
        assertThat(analyzer.checkDeviceIsolation(policy, devices,
                Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, hashId)).isolated()).isTrue();
    }

    @Test
    void aWildcardAfterTheClientIdEscapesTheNamespace() {
        List<NamedPolicy> leaky = of(allow("\"iot:Publish\"", "\"ARN:topic/devices/${iot:ClientId}*\""));

        Verdict.Counterexample escape = counterexample(analyzer.checkDeviceIsolation(leaky, devices, strict)
                .verdict(IsolationCheck.PUBLISH_OUTSIDE_NAMESPACE));

        String clientId = escape.request().context().clientId().orElseThrow();
        assertThat(escape.request().resource()).startsWith(SCOPE.arn("topic", "devices/" + clientId))
                .isNotEqualTo(SCOPE.arn("topic", "devices/" + clientId))
                .doesNotStartWith(SCOPE.arn("topic", "devices/" + clientId + "/"));
        assertThat(evaluate(leaky, escape.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
    }

    @Test
    void connectingUnderAnyClientIdIsFound() {
        List<NamedPolicy> policy = of(allow("\"iot:Connect\"", "\"ARN:client/*\""));

        Verdict.Counterexample other = counterexample(analyzer.checkDeviceIsolation(policy, devices, strict)
                .verdict(IsolationCheck.CONNECT_AS_OTHER_CLIENT));

        assertThat(other.request().resource())
                .isNotEqualTo(SCOPE.arn("client", other.request().context().clientId().orElseThrow()));
        assertThat(evaluate(policy, other.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
    }

    @Test
    void anotherThingsShadowAndJobsAreFoundThroughTopicsFiltersAndThingActions() {
        List<NamedPolicy> receiveShadows = of(allow("\"iot:Receive\"", "\"ARN:topic/$aws/things/*/shadow/*\""));
        List<NamedPolicy> subscribeJobs = of(allow("\"iot:Subscribe\"", "\"ARN:topicfilter/$aws/things/+/jobs/*\""));
        List<NamedPolicy> describeJobs = of(allow("\"iot:DescribeJobExecution\"", "\"ARN:thing/*\""));

        Verdict.Counterexample shadow = counterexample(analyzer.checkDeviceIsolation(receiveShadows, devices, strict)
                .verdict(IsolationCheck.OTHER_THING_SHADOW));
        Verdict.Counterexample jobsFilter = counterexample(analyzer.checkDeviceIsolation(subscribeJobs, devices, strict)
                .verdict(IsolationCheck.OTHER_THING_JOBS));
        Verdict.Counterexample jobsAction = counterexample(analyzer.checkDeviceIsolation(describeJobs, devices, strict)
                .verdict(IsolationCheck.OTHER_THING_JOBS));

        assertThat(shadow.request().resource()).contains("$aws/things/").contains("/shadow");
        assertThat(jobsFilter.request().resource()).contains("$aws/things/+/jobs");
        assertThat(jobsAction.request().action()).isEqualTo("iot:DescribeJobExecution");
        assertThat(evaluate(receiveShadows, shadow.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
        assertThat(evaluate(subscribeJobs, jobsFilter.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
        assertThat(evaluate(describeJobs, jobsAction.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
        assertThat(analyzer.checkDeviceIsolation(describeJobs, devices, strict)
                .verdict(IsolationCheck.OTHER_THING_SHADOW)).isInstanceOf(Verdict.Proved.class);
    }

    @Test
    void subscribingToHashOnTheRootIsFound() {
        List<NamedPolicy> policy = of(allow("\"iot:Subscribe\"", "\"ARN:topicfilter/*\""));

        Verdict.Counterexample root = counterexample(analyzer.checkDeviceIsolation(policy, devices, strict)
                .verdict(IsolationCheck.ROOT_WILDCARD_SUBSCRIBE));

        assertThat(root.request().resource()).isEqualTo(SCOPE.arn("topicfilter", "#"));
    }

    @Test
    void aDenyCarvesOutOfTheSubsetQuestion() {
        List<NamedPolicy> wide = of(allow("\"iot:Publish\"", "\"ARN:topic/${iot:ClientId}/*\""));
        List<NamedPolicy> carved = of(allow("\"iot:Publish\"", "\"ARN:topic/${iot:ClientId}/*\""),
                deny("\"iot:Publish\"", "\"ARN:topic/${iot:ClientId}/bar\""));

        assertThat(analyzer.isSubsetOf(carved, wide, strict)).isInstanceOf(Verdict.Proved.class);
        Verdict.Counterexample bar = counterexample(analyzer.isSubsetOf(wide, carved, strict));

        String id = bar.request().context().clientId().orElseThrow();
        assertThat(bar.request().resource()).isEqualTo(SCOPE.arn("topic", id + "/bar"));
        assertThat(evaluate(wide, bar.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
        assertThat(evaluate(carved, bar.request(), SubstitutionMode.STRICT)).isInstanceOf(Decision.ExplicitDeny.class);
    }

    @Test
    void equivalentPoliciesWrittenDifferentlyAreProvedEquivalent() {
        List<NamedPolicy> oneStatement = of(allow("[\"iot:Publish\",\"iot:Receive\"]", "\"ARN:topic/a/*\""));
        List<NamedPolicy> twoStatements = of(allow("\"iot:RECEIVE\"", "\"ARN:topic/a/*\""),
                allow("\"iot:PUBLISH\"", "[\"ARN:topic/a/*\",\"ARN:topic/a/b\"]"));

        assertThat(analyzer.isEquivalent(oneStatement, twoStatements, strict)).isInstanceOf(Verdict.Proved.class);
        assertThat(analyzer.isEquivalent(oneStatement, of(allow("\"iot:Publish\"", "\"ARN:topic/a/*\"")), strict))
                .isInstanceOf(Verdict.Counterexample.class);
        // ? in an action matches any character, so iot:P?blish also allows the action iot:p#blish.
        Verdict.Counterexample odd = counterexample(analyzer.isEquivalent(
                of(allow("\"iot:Publish\"", "\"*\"")), of(allow("\"iot:P?blish\"", "\"*\"")), strict));
        assertThat(odd.request().action()).startsWith("iot:p").endsWith("blish").isNotEqualToIgnoringCase("iot:publish");
    }

    @Test
    void notActionAndNotResourceAreExact() {
        List<NamedPolicy> allButPublish = of("{\"Effect\":\"Allow\",\"NotAction\":\"iot:Publish\","
                + "\"NotResource\":\"ARN:topic/secret\"}");
        List<NamedPolicy> reference = of(allow("\"*\"", "\"*\""), deny("\"iot:Publish\"", "\"*\""),
                deny("\"*\"", "\"ARN:topic/secret\""));

        assertThat(analyzer.isEquivalent(allButPublish, reference, strict)).isInstanceOf(Verdict.Proved.class);
    }

    @Test
    void diffNamesOneWitnessPerAddedAction() {
        List<NamedPolicy> v1 = of(allow("\"iot:Publish\"", "\"ARN:topic/devices/${iot:ClientId}/*\""));
        List<NamedPolicy> v2 = of(allow("[\"iot:Publish\",\"iot:Receive\"]", "\"ARN:topic/devices/*\""),
                allow("\"iot:Connect\"", "\"ARN:client/${iot:ClientId}\""));

        PolicyDiff diff = analyzer.diff(v1, v2, strict);

        assertThat(diff.added()).extracting(c -> c.request().action())
                .containsExactly("iot:Connect", "iot:Publish", "iot:Receive");
        assertThat(diff.removed()).isEmpty();
        for (Verdict.Counterexample added : diff.added()) {
            assertThat(evaluate(v2, added.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
            assertThat(evaluate(v1, added.request(), SubstitutionMode.STRICT).isAllowed()).isFalse();
        }
        assertThat(analyzer.diff(v1, v1, strict).unchanged()).isTrue();
    }

    @Test
    void aClientIdCollidingWithANameInThePolicyIsFound() {
        List<NamedPolicy> adminOnly = of("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"ARN:topic/*\","
                + "\"Condition\":{\"StringEquals\":{\"iot:ClientId\":\"admin-console\"}}}");

        Verdict.Counterexample admin = counterexample(analyzer.isSubsetOf(adminOnly, of(deny("\"*\"", "\"*\"")), strict));

        assertThat(admin.request().context().clientId()).contains("admin-console");
        assertThat(evaluate(adminOnly, admin.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
    }

    @Test
    void conditionsOnKeysAnyDeviceDoesNotFixAreUnsupportedAndNamed() {
        List<NamedPolicy> byNetwork = of("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}");

        Verdict verdict = analyzer.isSubsetOf(byNetwork, of(deny("\"*\"", "\"*\"")), strict);

        assertThat(verdict).isInstanceOf(Verdict.Unsupported.class);
        assertThat(((Verdict.Unsupported) verdict).constructs()).singleElement().asString()
                .contains("statement 1", "IpAddress", "aws:SourceIp");
        RequestContext inside = RequestContext.builder().clientId("c").sourceIp("10.1.2.3").build();
        Verdict decided = analyzer.isSubsetOf(byNetwork, of(deny("\"*\"", "\"*\"")),
                Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, inside));
        assertThat(evaluate(byNetwork, counterexample(decided).request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
        RequestContext outside = RequestContext.builder().clientId("c").sourceIp("192.168.1.1").build();
        assertThat(analyzer.isSubsetOf(byNetwork, List.of(),
                Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, outside))).isInstanceOf(Verdict.Proved.class);
    }

    @Test
    void timeConditionsNeedThePinnedRequestTime() {
        List<NamedPolicy> untilNewYear = of("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2027-01-01T00:00:00Z\"}}}");
        RequestContext unpinned = RequestContext.builder().clientId("c").build();
        RequestContext pinned = RequestContext.builder().clientId("c").time(Instant.parse("2026-06-01T00:00:00Z")).build();

        assertThat(analyzer.isSubsetOf(untilNewYear, List.of(),
                Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, unpinned)))
                .isInstanceOf(Verdict.Unsupported.class);
        assertThat(analyzer.isSubsetOf(untilNewYear, List.of(),
                Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, pinned)))
                .isInstanceOf(Verdict.Counterexample.class);
    }

    @Test
    void thingVariablesResolveOnlyForAnAttachedThing() {
        List<NamedPolicy> shadow = of(allow("\"iot:UpdateThingShadow\"", "\"ARN:thing/${iot:Connection.Thing.ThingName}\""));
        RequestContext attached = RequestContext.builder().clientId("lamp").thing(ThingContext.attached("lamp")).build();
        RequestContext bare = RequestContext.builder().clientId("lamp").build();

        assertThat(analyzer.isSubsetOf(shadow, List.of(), Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, bare)))
                .isInstanceOf(Verdict.Proved.class);
        Verdict.Counterexample own = counterexample(analyzer.isSubsetOf(shadow, List.of(),
                Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, attached)));
        assertThat(own.request().resource()).isEqualTo(SCOPE.arn("thing", "lamp"));
    }

    @Test
    void aTinySearchBudgetIsReportedNotAnswered() {
        Verdict verdict = new PolicyAnalyzer(2).isSubsetOf(Policies.perThing(), List.of(), strict);

        assertThat(verdict).isInstanceOf(Verdict.Unsupported.class);
        assertThat(((Verdict.Unsupported) verdict).constructs().get(0)).contains("exceeded");
    }

    @Test
    void badInputsAreRejected() {
        assertThatThrownBy(() -> new IsolationSpec("")).isInstanceOf(RampartException.class);
        assertThatThrownBy(() -> new IsolationSpec("devices/+")).isInstanceOf(RampartException.class)
                .hasMessageContaining("wildcards");
        assertThatThrownBy(() -> new IsolationSpec("/devices")).isInstanceOf(RampartException.class);
        assertThatThrownBy(() -> new PolicyAnalyzer(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> analyzer.checkDeviceIsolation(Policies.perThing(), devices,
                Assumptions.forRequester(SCOPE, SubstitutionMode.STRICT, RequestContext.empty())))
                .isInstanceOf(RampartException.class).hasMessageContaining("client id");
        assertThatThrownBy(() -> new Verdict.Unsupported(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWildcardRegionLetsTheResourceReachAcrossTheArnsColons() {
        // IAM: a * ending an ARN segment may expand beyond the colon; the engine matches the whole ARN as one glob.
        List<NamedPolicy> anyRegion = of(allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/devices/${iot:ClientId}/*\""));
        List<NamedPolicy> ownRegion = of(allow("\"iot:Publish\"", "\"ARN:topic/devices/${iot:ClientId}/*\""));

        Verdict.Counterexample escape = counterexample(analyzer.checkDeviceIsolation(anyRegion, devices, strict)
                .verdict(IsolationCheck.PUBLISH_OUTSIDE_NAMESPACE));

        String id = escape.request().context().clientId().orElseThrow();
        assertThat(escape.request().resource()).startsWith(SCOPE.arnPrefix() + "topic/").contains(":topic/devices/" + id + "/");
        assertThat(evaluate(anyRegion, escape.request(), SubstitutionMode.STRICT).isAllowed()).isTrue();
        assertThat(analyzer.checkDeviceIsolation(ownRegion, devices, strict).verdict(IsolationCheck.PUBLISH_OUTSIDE_NAMESPACE))
                .isInstanceOf(Verdict.Proved.class);
    }
}
