package io.rampart.analyzer;

import io.rampart.analyzer.PolicyClassification.Misconfiguration;
import io.rampart.analyzer.PolicyClassification.MisconfigurationReason;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.SubstitutionMode;
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

class PolicyAuditTest {
    private final PolicyAudit strict = new PolicyAudit(SCOPE, SubstitutionMode.STRICT);

    private static boolean allows(List<NamedPolicy> policies, AuthorizationRequest request) {
        return new PolicyEngine(SCOPE, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), SubstitutionMode.STRICT)
                .evaluate(policies, request).isAllowed();
    }

    private static PolicyClassification.OverlyPermissive overlyPermissive(PolicyClassification classification) {
        assertThat(classification).isInstanceOf(PolicyClassification.OverlyPermissive.class);
        return (PolicyClassification.OverlyPermissive) classification;
    }

    @Test
    void iotStarOnStarIsOverlyPermissiveWithWitnessesTheEngineAllows() {
        List<NamedPolicy> everything = of(allow("\"iot:*\"", "\"*\""));

        PolicyClassification.OverlyPermissive found = overlyPermissive(strict.classify(everything.get(0)));

        assertThat(found.witnesses()).isNotEmpty().allMatch(w -> allows(everything, w.request()));
        assertThat(found.witnesses()).anyMatch(w -> w.request().resource().equals(SCOPE.arn("topicfilter", "#")));
        assertThat(found.witnesses().get(0).explanation()).contains("every client", "iot:Connect");
    }

    @Test
    void aClientIdVariableFollowedByAWildcardLetsADeviceIntoAnotherDevicesTopics() {
        List<NamedPolicy> leaky = of(allow("\"iot:Connect\"", "\"ARN:client/${iot:ClientId}\""),
                allow("\"iot:Publish\"", "\"ARN:topic/devices/${iot:ClientId}*\""));

        PolicyClassification.OverlyPermissive found = overlyPermissive(strict.classify(leaky.get(0)));

        Verdict.Counterexample escape = found.witnesses().get(0);
        String id = escape.request().context().clientId().orElseThrow();
        assertThat(escape.request().action()).isEqualTo("iot:Publish");
        assertThat(escape.request().resource()).startsWith(SCOPE.arn("topic", "devices/" + id))
                .isNotEqualTo(SCOPE.arn("topic", "devices/" + id));
        assertThat(escape.request().resource()).doesNotStartWith(SCOPE.arn("topic", "devices/" + id + "/"));
        assertThat(allows(leaky, escape.request())).isTrue();
        assertThat(escape.explanation()).contains("also allowed for client id");
    }

    @Test
    void aPerThingPolicyIsSafe() {
        PolicyClassification classification = strict.classify(Policies.perThing().get(0));

        assertThat(classification).isInstanceOf(PolicyClassification.Safe.class);
        assertThat(((PolicyClassification.Safe) classification).requesters()).isNotEmpty();
    }

    @Test
    void sharedLiteralTopicsAreNotCrossDeviceAccess() {
        List<NamedPolicy> telemetry = of(allow("\"iot:Publish\"", "[\"ARN:topic/devices/${iot:ClientId}/*\","
                + "\"ARN:topic/broadcast/status\"]"));

        assertThat(strict.classify(telemetry.get(0))).isInstanceOf(PolicyClassification.Safe.class);
    }

    @Test
    void aDenyWrittenWithHashIsAPotentialMisconfigurationWithAnAllowedWitness() {
        // AWS's own example for POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT.
        List<NamedPolicy> building = of(allow("\"iot:Subscribe\"", "\"ARN:topicfilter/building/*\""),
                deny("\"iot:Subscribe\"", "\"ARN:topicfilter/building/control_room/#\""));

        PolicyClassification classification = strict.classify(building.get(0));

        assertThat(classification).isInstanceOf(PolicyClassification.PotentialMisconfiguration.class);
        Misconfiguration reason = classification.misconfigurations().get(0);
        assertThat(reason.reason()).isEqualTo(MisconfigurationReason.POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT);
        assertThat(reason.statement()).isEqualTo(2);
        assertThat(reason.witness().request().resource()).startsWith(SCOPE.arn("topicfilter", "building/control_room"));
        assertThat(allows(building, reason.witness().request())).isTrue();
    }

    @Test
    void aDenyOfOneFilterBypassedByAnAllowedWildcardFilterIsFlagged() {
        List<NamedPolicy> building = of(allow("\"iot:Subscribe\"", "\"ARN:topicfilter/building/*\""),
                deny("\"iot:Subscribe\"", "\"ARN:topicfilter/building/control_room\""));

        PolicyClassification classification = strict.classify(building.get(0));

        assertThat(classification).isInstanceOf(PolicyClassification.PotentialMisconfiguration.class);
        Misconfiguration reason = classification.misconfigurations().get(0);
        assertThat(reason.reason()).isEqualTo(MisconfigurationReason.TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS);
        assertThat(reason.witness().request().resource()).isEqualTo(SCOPE.arn("topicfilter", "building/#"));
        assertThat(allows(building, reason.witness().request())).isTrue();
    }

    @Test
    void aDenyOfOneFilterWithNoAllowedWildcardIsNotFlagged() {
        List<NamedPolicy> exact = of(allow("\"iot:Subscribe\"", "\"ARN:topicfilter/building/lobby\""),
                deny("\"iot:Subscribe\"", "\"ARN:topicfilter/building/control_room\""));

        assertThat(strict.classify(exact.get(0))).isInstanceOf(PolicyClassification.Safe.class);
    }

    @Test
    void conditionsOnKeysNoDeviceFixesAreUnsupported() {
        List<NamedPolicy> byNetwork = of("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}");

        PolicyClassification classification = strict.classify(byNetwork.get(0));

        assertThat(classification).isInstanceOf(PolicyClassification.Unsupported.class);
        assertThat(((PolicyClassification.Unsupported) classification).constructs()).first().asString()
                .contains("aws:SourceIp");
    }

    @Test
    void coveringFiltersFollowMqttMatching() {
        assertThat(PolicyAudit.coveringFilters("a/b".split("/")))
                .containsExactlyInAnyOrder("#", "a/#", "+/#", "a/b/#", "a/+/#", "+/b/#", "+/+/#", "a/+", "+/b", "+/+");
        // A filter starting with a wildcard never matches a $ topic.
        assertThat(PolicyAudit.coveringFilters("$aws/x".split("/")))
                .containsExactlyInAnyOrder("$aws/#", "$aws/x/#", "$aws/+/#", "$aws/+");
    }
}
