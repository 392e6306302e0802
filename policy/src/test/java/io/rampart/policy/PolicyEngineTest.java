package io.rampart.policy;

import io.rampart.common.AwsScope;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Engine behaviour beyond the table: reported matches, missing context, substitution modes, limits. */
class PolicyEngineTest {
    private static final AwsScope SCOPE = new AwsScope("us-east-1", "123456789012");
    private static final String A = "arn:aws:iot:us-east-1:123456789012:";
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    private final PolicyEngine strict = new PolicyEngine(SCOPE, Clock.fixed(NOW, ZoneOffset.UTC));
    private final PolicyEngine aws =
            new PolicyEngine(SCOPE, Clock.fixed(NOW, ZoneOffset.UTC), SubstitutionMode.AWS_COMPATIBLE);

    private static NamedPolicy policy(String name, String statements) {
        return new NamedPolicy(name, "1", PolicyDocument.parse(
                "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"));
    }

    private static String statement(String effect, String action, String resource, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private static RequestContext client(String clientId) {
        return RequestContext.builder().clientId(clientId).build();
    }

    @Test
    void allowedNamesEveryAllowingStatementOfEveryPolicy() {
        NamedPolicy first = policy("first", statement("Allow", "iot:Connect", "*", null) + ","
                + statement("Allow", "iot:Publish", A + "topic/a/*", null) + ","
                + statement("Allow", "iot:Publish", "*", null));
        NamedPolicy second = policy("second", statement("Allow", "iot:*", A + "topic/a/b", null));

        Decision decision = strict.evaluate(List.of(first, second),
                AuthorizationRequest.publish(SCOPE, "a/b", client("c")));

        assertThat(decision).isEqualTo(new Decision.Allowed(List.of(
                new StatementMatch("first", 2), new StatementMatch("first", 3), new StatementMatch("second", 1))));
    }

    @Test
    void explicitDenyNamesOnlyTheDenyingStatementsFromAnyListMember() {
        NamedPolicy certificate = policy("certificate", statement("Allow", "iot:*", "*", null));
        NamedPolicy parentGroup = policy("parent-group", statement("Deny", "iot:Publish", A + "topic/a/*", null));
        NamedPolicy childGroup = policy("child-group", statement("Allow", "iot:Publish", A + "topic/a/b", null) + ","
                + statement("Deny", "iot:Publish", "*", null));

        Decision decision = strict.evaluate(List.of(certificate, childGroup, parentGroup),
                AuthorizationRequest.publish(SCOPE, "a/b", client("c")));

        assertThat(decision).isEqualTo(new Decision.ExplicitDeny(List.of(
                new StatementMatch("child-group", 2), new StatementMatch("parent-group", 1))));
    }

    @Test
    void noPoliciesMeansImplicitDeny() {
        assertThat(strict.evaluate(List.of(), AuthorizationRequest.connect(SCOPE, client("c"))))
                .isEqualTo(new Decision.ImplicitDeny());
    }

    @Test
    void reportsThingVariablesAsMissingWhenTheThingIsNotAttached() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Connect",
                A + "client/${iot:Connection.Thing.ThingName}", null));
        RequestContext context = RequestContext.builder().clientId("lamp")
                .thing(new ThingContext("lamp", Optional.empty(), Map.of(), false)).build();

        Evaluation evaluation = strict.evaluateDetailed(List.of(policy), AuthorizationRequest.connect(SCOPE, context));

        assertThat(evaluation).isEqualTo(new Evaluation(new Decision.ImplicitDeny(),
                List.of("iot:Connection.Thing.ThingName")));
    }

    @Test
    void reportsMissingConditionKeysButNotIfExistsOnes() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Publish", "*",
                "{\"StringEqualsIfExists\":{\"iot:Connection.Thing.ThingTypeName\":\"x\"},"
                        + "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}") + ","
                + statement("Allow", "iot:Connect", "*", "{\"StringEquals\":{\"iot:DomainName\":\"d\"}}"));

        Evaluation evaluation = strict.evaluateDetailed(List.of(policy),
                AuthorizationRequest.publish(SCOPE, "t", client("c")));

        assertThat(evaluation.missingContextValues()).containsExactly("aws:SourceIp");
        assertThat(evaluation.decision()).isEqualTo(new Decision.ImplicitDeny());
    }

    @Test
    void awsCompatibleModeLetsClientIdPlusSubscribeToEveryClientsTopicAsAwsDocuments() {
        // basic-policy-variables: "A client could connect using + as the client ID ... subscribe to any topic that
        // matches the topic filter my/+/topic."
        NamedPolicy policy = policy("p", statement("Allow", "iot:Subscribe",
                A + "topicfilter/my/${iot:ClientId}/topic", null));
        AuthorizationRequest request = AuthorizationRequest.subscribe(SCOPE, "my/+/topic", client("+"));

        assertThat(aws.evaluate(List.of(policy), request).isAllowed()).isTrue();
        assertThat(strict.evaluate(List.of(policy), request).isAllowed()).isFalse();
    }

    @Test
    void strictModeStillAppliesADenyToAHostileClientIdLiterally() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Subscribe", A + "topicfilter/private/*", null) + ","
                + statement("Deny", "iot:Subscribe", A + "topicfilter/private/${iot:ClientId}", null));

        Decision decision = strict.evaluate(List.of(policy),
                AuthorizationRequest.subscribe(SCOPE, "private/+", client("+")));

        assertThat(decision).isEqualTo(new Decision.ExplicitDeny(List.of(new StatementMatch("p", 2))));
    }

    @Test
    void certificateValuesWithWildcardsAreNotSubstitutedButStrictDenyStillMatches() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Publish", A + "topic/*", null) + ","
                + statement("Deny", "iot:Publish", A + "topic/org/${iot:Certificate.Subject.Organization}", null));
        RequestContext context = RequestContext.builder().clientId("c")
                .certificate(certificate(Map.of("Organization", List.of("a#")))).build();
        AuthorizationRequest request = AuthorizationRequest.publish(SCOPE, "org/a#", context);

        // AWS leaves the variable unreplaced, so its Deny does not match; STRICT matches the Deny literally.
        assertThat(aws.evaluate(List.of(policy), request).isAllowed()).isTrue();
        assertThat(strict.evaluate(List.of(policy), request)).isInstanceOf(Decision.ExplicitDeny.class);
    }

    @Test
    void certificateStringsLongerThan1024CharactersAreNotSubstituted() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Publish",
                A + "topic/cn/${iot:Certificate.Subject.CommonName}", null));
        String longName = "n".repeat(1025);
        RequestContext context = RequestContext.builder()
                .certificate(certificate(Map.of("CommonName", List.of(longName)))).build();
        RequestContext shortContext = RequestContext.builder()
                .certificate(certificate(Map.of("CommonName", List.of(longName.substring(1))))).build();

        assertThat(aws.evaluate(List.of(policy), AuthorizationRequest.publish(SCOPE, "cn/" + longName, context))
                .isAllowed()).isFalse();
        assertThat(aws.evaluate(List.of(policy),
                AuthorizationRequest.publish(SCOPE, "cn/" + longName.substring(1), shortContext)).isAllowed()).isTrue();
    }

    @Test
    void certificateArraysAreLimitedToFiveValues() {
        NamedPolicy indexed = policy("p", statement("Allow", "iot:Publish",
                A + "topic/${iot:Certificate.Subject.OrganizationalUnit.5}", null));
        NamedPolicy listed = policy("q", statement("Allow", "iot:Connect", "*",
                "{\"ForAllValues:StringLike\":{\"iot:Certificate.Subject.OrganizationalUnit.List\":\"ou?\"}}"));
        RequestContext context = RequestContext.builder().clientId("c").certificate(certificate(Map.of(
                "OrganizationalUnit", List.of("ou1", "ou2", "ou3", "ou4", "ou5", "sixth")))).build();

        assertThat(strict.evaluate(List.of(indexed), AuthorizationRequest.publish(SCOPE, "sixth", context))
                .isAllowed()).isFalse();
        assertThat(strict.evaluate(List.of(listed), AuthorizationRequest.connect(SCOPE, context)).isAllowed())
                .isTrue();
    }

    @Test
    void anUnresolvableNotResourceNeverTurnsIntoAnAllowForEverythingElse() {
        NamedPolicy policy = policy("p", "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"NotResource\":\""
                + A + "topic/${iot:Connection.Thing.ThingName}/private\"}");

        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.publish(SCOPE, "x", client("c"))))
                .isEqualTo(new Decision.ImplicitDeny());
    }

    @Test
    void conditionValuesMayUseVariables() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Connect", "*",
                "{\"DateLessThan\":{\"aws:CurrentTime\":\"${iot:Certificate.Validity.NotAfter}\"},"
                        + "\"NumericLessThanEquals\":{\"iot:Connection.Thing.Attributes[load]\":"
                        + "\"${iot:Connection.Thing.Attributes[limit]}\"}}"));
        RequestContext.Builder builder = RequestContext.builder().clientId("c")
                .certificate(certificate(Map.of()))
                .thing(new ThingContext("c", Optional.empty(), Map.of("load", "7", "limit", "10"), true));

        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE, builder.build()))
                .isAllowed()).isTrue();
        assertThat(strict.evaluate(List.of(policy),
                AuthorizationRequest.connect(SCOPE, builder.time(Instant.parse("2030-01-01T00:00:00Z")).build()))
                .isAllowed()).isFalse();
    }

    @Test
    void usesTheEngineClockWhenTheRequestHasNoTime() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Connect", "*",
                "{\"DateEquals\":{\"aws:EpochTime\":\"" + NOW.getEpochSecond() + "\"}}"));

        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE, client("c"))).isAllowed())
                .isTrue();
    }

    @Test
    void setQualifiersFollowIamSemantics() {
        NamedPolicy anyValue = policy("any", statement("Allow", "iot:Publish", "*",
                "{\"ForAnyValue:StringEquals\":{\"iot:Certificate.Subject.Organization.List\":\"b\"}}"));
        RequestContext twoOrgs = RequestContext.builder()
                .certificate(certificate(Map.of("Organization", List.of("a", "b")))).build();

        assertThat(strict.evaluate(List.of(anyValue), AuthorizationRequest.publish(SCOPE, "t", twoOrgs)).isAllowed())
                .isTrue();
        // ForAnyValue is false when the key is missing.
        assertThat(strict.evaluate(List.of(anyValue), AuthorizationRequest.publish(SCOPE, "t", client("c")))
                .isAllowed()).isFalse();
    }

    @Test
    void nullAndIsAttachedDescribeAnAbsentThing() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Connect", "*",
                "{\"Null\":{\"iot:Connection.Thing.ThingName\":\"true\"},"
                        + "\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"false\"}}"));

        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE, client("c"))).isAllowed())
                .isTrue();
        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE,
                RequestContext.builder().clientId("c").thing(ThingContext.attached("c")).build())).isAllowed())
                .isFalse();
    }

    @Test
    void callerSuppliedConditionKeysMatchCaseInsensitively() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Connect", "*",
                "{\"ArnLike\":{\"iot:LastWillTopic\":\"" + A + "topic/will/*\"}}"));
        RequestContext context = RequestContext.builder().clientId("c")
                .conditionKey("IOT:LASTWILLTOPIC", List.of(A + "topic/will/c")).build();

        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE, context)).isAllowed()).isTrue();
    }

    @Test
    void availableKeysListsThePopulatedCertificateVariables() {
        NamedPolicy policy = policy("p", statement("Allow", "iot:Connect", "*",
                "{\"ForAnyValue:StringEquals\":{\"iot:Certificate.AvailableKeys\":\"iot:Certificate.Subject.CommonName\"}}"));
        RequestContext withCn = RequestContext.builder().clientId("c")
                .certificate(certificate(Map.of("CommonName", List.of("x")))).build();
        RequestContext withoutCn = RequestContext.builder().clientId("c").certificate(certificate(Map.of())).build();

        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE, withCn)).isAllowed()).isTrue();
        assertThat(strict.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE, withoutCn)).isAllowed())
                .isFalse();
    }

    @Test
    void requestFactoriesBuildAwsResourceArns() {
        RequestContext context = client("dev-1");

        assertThat(AuthorizationRequest.connect(SCOPE, context).resource()).isEqualTo(A + "client/dev-1");
        assertThat(AuthorizationRequest.subscribe(SCOPE, "a/+/#", context))
                .isEqualTo(new AuthorizationRequest("iot:Subscribe", A + "topicfilter/a/+/#", context));
        assertThat(AuthorizationRequest.receive(SCOPE, "a", context).action()).isEqualTo("iot:Receive");
        assertThat(AuthorizationRequest.retainPublish(SCOPE, "a", context).action()).isEqualTo("iot:RetainPublish");
        assertThat(AuthorizationRequest.onThing("iot:GetThingShadow", SCOPE, "lamp", context).resource())
                .isEqualTo(A + "thing/lamp");
        assertThatThrownBy(() -> AuthorizationRequest.connect(SCOPE, RequestContext.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an iot:Connect request needs a client id");
    }

    @Test
    void decisionsNameAtLeastOneStatement() {
        assertThatThrownBy(() -> new Decision.Allowed(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision.ExplicitDeny(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static CertificateContext certificate(Map<String, List<String>> subject) {
        return new CertificateContext(subject, Map.of(), Map.of(), Map.of(), "1",
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), "00");
    }
}
