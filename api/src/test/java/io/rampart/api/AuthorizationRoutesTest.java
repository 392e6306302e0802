package io.rampart.api;

import static io.rampart.api.AwsErrors.fails;
import static io.rampart.api.PolicyRoutesTest.document;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ActionType;
import software.amazon.awssdk.services.iot.model.AuthDecision;
import software.amazon.awssdk.services.iot.model.AuthInfo;
import software.amazon.awssdk.services.iot.model.AuthResult;
import software.amazon.awssdk.services.iot.model.EffectivePolicy;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.TestAuthorizationRequest;

/**
 * TestAuthorization and GetEffectivePolicies over a small fleet: a certificate with its own policy, a thing
 * attached to it, and policies inherited from the thing's group and that group's parent, one of them a Deny.
 */
class AuthorizationRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static final String PREFIX = ApiTestNode.SCOPE.arnPrefix();
    private static final String CONNECT_OWN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\","
            + "\"Resource\":\"" + PREFIX + "client/${iot:Connection.Thing.ThingName}\"}]}";
    private static final String TELEMETRY = document("Allow", "iot:Publish", PREFIX + "topic/telemetry/*");
    private static final String DENY_SECRET = document("Deny", "iot:Publish", PREFIX + "topic/telemetry/secret");
    private static final String SUBSCRIBE_ALL = document("Allow", "iot:Subscribe", PREFIX + "topicfilter/*");

    private static String certificate;

    private static IotClient iot() {
        return node.admin();
    }

    @BeforeAll
    static void fleet() {
        certificate = iot().createKeysAndCertificate(b -> b.setAsActive(true)).certificateArn();
        iot().createThing(b -> b.thingName("sensor-7"));
        iot().attachThingPrincipal(b -> b.thingName("sensor-7").principal(certificate));
        iot().createThingGroup(b -> b.thingGroupName("building"));
        iot().createThingGroup(b -> b.thingGroupName("floor-2").parentGroupName("building"));
        iot().addThingToThingGroup(b -> b.thingGroupName("floor-2").thingName("sensor-7"));

        iot().createPolicy(b -> b.policyName("connect-own").policyDocument(CONNECT_OWN));
        iot().createPolicy(b -> b.policyName("building-telemetry").policyDocument(TELEMETRY));
        iot().createPolicy(b -> b.policyName("deny-secret").policyDocument(DENY_SECRET));
        iot().createPolicy(b -> b.policyName("subscribe-all").policyDocument(SUBSCRIBE_ALL));
        iot().attachPolicy(b -> b.policyName("connect-own").target(certificate));
        iot().attachPolicy(b -> b.policyName("building-telemetry").target(ApiTestNode.SCOPE.arn("thinggroup", "building")));
        iot().attachPolicy(b -> b.policyName("deny-secret").target(ApiTestNode.SCOPE.arn("thinggroup", "floor-2")));
    }

    private static AuthInfo ask(ActionType action, String resource) {
        return AuthInfo.builder().actionType(action).resources(PREFIX + resource).build();
    }

    private static Policy ref(String name) {
        return Policy.builder().policyName(name).policyArn(ApiTestNode.SCOPE.arn("policy", name)).build();
    }

    private static List<AuthResult> test(IotClient client, String clientId, List<String> add, List<String> skip, AuthInfo... questions) {
        TestAuthorizationRequest.Builder request = TestAuthorizationRequest.builder().principal(certificate).clientId(clientId).authInfos(questions);
        if (!add.isEmpty()) {
            request.policyNamesToAdd(add);
        }
        if (!skip.isEmpty()) {
            request.policyNamesToSkip(skip);
        }
        return client.testAuthorization(request.build()).authResults();
    }

    @Test
    void groupPoliciesApplyThroughTheAttachedThingAndAnExplicitDenyWins() {
        List<AuthResult> results = test(iot(), "sensor-7", List.of(), List.of(),
                ask(ActionType.PUBLISH, "topic/telemetry/temperature"),
                ask(ActionType.PUBLISH, "topic/telemetry/secret"),
                ask(ActionType.SUBSCRIBE, "topicfilter/anything"),
                ask(ActionType.CONNECT, "client/sensor-7"));

        assertThat(results).hasSize(4);
        AuthResult inherited = results.get(0);
        assertThat(inherited.authInfo().actionType()).isEqualTo(ActionType.PUBLISH);
        assertThat(inherited.authInfo().resources()).containsExactly(PREFIX + "topic/telemetry/temperature");
        assertThat(inherited.authDecision()).isEqualTo(AuthDecision.ALLOWED);
        assertThat(inherited.allowed().policies()).containsExactly(ref("building-telemetry"));
        assertThat(inherited.denied().explicitDeny().policies()).isEmpty();

        AuthResult denied = results.get(1);
        assertThat(denied.authDecision()).isEqualTo(AuthDecision.EXPLICIT_DENY);
        assertThat(denied.denied().explicitDeny().policies()).containsExactly(ref("deny-secret"));

        AuthResult nothing = results.get(2);
        assertThat(nothing.authDecision()).isEqualTo(AuthDecision.IMPLICIT_DENY);
        assertThat(nothing.allowed().policies()).isEmpty();
        assertThat(nothing.denied().explicitDeny().policies()).isEmpty();

        AuthResult connect = results.get(3);
        assertThat(connect.authDecision()).isEqualTo(AuthDecision.ALLOWED);
        assertThat(connect.allowed().policies()).containsExactly(ref("connect-own"));
        assertThat(connect.missingContextValues()).isEmpty();
    }

    @Test
    void withoutTheThingAsClientIdGroupPoliciesDoNotApply() {
        List<AuthResult> results = test(iot(), "someone-else", List.of(), List.of(),
                ask(ActionType.PUBLISH, "topic/telemetry/temperature"),
                ask(ActionType.CONNECT, "client/sensor-7"));
        assertThat(results).extracting(AuthResult::authDecision).containsExactly(AuthDecision.IMPLICIT_DENY, AuthDecision.IMPLICIT_DENY);
    }

    @Test
    void policiesToAddAndToSkipChangeTheAnswerWithoutChangingAttachments() {
        List<AuthResult> results = test(iot(), "sensor-7", List.of("subscribe-all"), List.of("deny-secret"),
                ask(ActionType.PUBLISH, "topic/telemetry/secret"),
                ask(ActionType.SUBSCRIBE, "topicfilter/anything"));
        assertThat(results.get(0).authDecision()).isEqualTo(AuthDecision.ALLOWED);
        assertThat(results.get(0).allowed().policies()).containsExactly(ref("building-telemetry"));
        assertThat(results.get(1).authDecision()).isEqualTo(AuthDecision.ALLOWED);
        assertThat(results.get(1).allowed().policies()).containsExactly(ref("subscribe-all"));

        assertThat(iot().listAttachedPolicies(b -> b.target(certificate)).policies()).containsExactly(ref("connect-own"));
        assertThat(test(iot(), "sensor-7", List.of(), List.of(), ask(ActionType.PUBLISH, "topic/telemetry/secret")).getFirst().authDecision())
                .isEqualTo(AuthDecision.EXPLICIT_DENY);
    }

    @Test
    void readOnlyKeysMayTestAuthorization() {
        assertThat(test(node.readOnly(), "sensor-7", List.of(), List.of(), ask(ActionType.PUBLISH, "topic/telemetry/x")).getFirst().authDecision())
                .isEqualTo(AuthDecision.ALLOWED);
    }

    @Test
    void testAuthorizationRefusesBadQuestionsWithActionableMessages() throws Exception {
        fails(InvalidRequestException.class, 400, "authInfos", () -> iot().testAuthorization(b -> b.principal(certificate)));
        AuthInfo[] eleven = new AuthInfo[11];
        Arrays.fill(eleven, ask(ActionType.PUBLISH, "topic/a"));
        fails(InvalidRequestException.class, 400, "1 to 10", () -> iot().testAuthorization(b -> b.principal(certificate).authInfos(eleven)));
        fails(InvalidRequestException.class, 400, "authInfos[0].resources",
                () -> iot().testAuthorization(b -> b.principal(certificate).authInfos(AuthInfo.builder().actionType(ActionType.PUBLISH).build())));
        fails(InvalidRequestException.class, 400, "cognitoIdentityPoolId",
                () -> iot().testAuthorization(b -> b.principal(certificate).cognitoIdentityPoolId("us-east-1:pool").authInfos(ask(ActionType.PUBLISH, "topic/a"))));
        fails(InvalidRequestException.class, 400, "principal", () -> iot().testAuthorization(b -> b.authInfos(ask(ActionType.PUBLISH, "topic/a"))));
        fails(ResourceNotFoundException.class, 404, "efef",
                () -> iot().testAuthorization(b -> b.principal(PREFIX + "cert/" + "ef".repeat(32)).authInfos(ask(ActionType.PUBLISH, "topic/a"))));
        fails(ResourceNotFoundException.class, 404, "no-such-policy",
                () -> iot().testAuthorization(b -> b.principal(certificate).policyNamesToAdd("no-such-policy").authInfos(ask(ActionType.PUBLISH, "topic/a"))));

        HttpResponse<String> badAction = node.send("POST", "/test-authorization",
                "{\"principal\": \"" + certificate + "\", \"authInfos\": [{\"actionType\": \"DELETE\", \"resources\": [\"*\"]}]}");
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(badAction).path("message").asText()).contains("authInfos[0].actionType").contains("PUBLISH").contains("DELETE");
    }

    @Test
    void getEffectivePoliciesIncludesGroupPoliciesOnlyForTheNamedThing() {
        List<EffectivePolicy> withThing = iot().getEffectivePolicies(b -> b.principal(certificate).thingName("sensor-7")).effectivePolicies();
        assertThat(withThing).extracting(EffectivePolicy::policyName)
                .containsExactlyInAnyOrder("connect-own", "building-telemetry", "deny-secret");
        assertThat(withThing).filteredOn(p -> p.policyName().equals("deny-secret")).singleElement().satisfies(p -> {
            assertThat(p.policyArn()).isEqualTo(ApiTestNode.SCOPE.arn("policy", "deny-secret"));
            assertThat(p.policyDocument()).isEqualTo(DENY_SECRET);
        });
        assertThat(iot().getEffectivePolicies(b -> b.principal(certificate)).effectivePolicies()).extracting(EffectivePolicy::policyName)
                .containsExactly("connect-own");
        assertThat(node.readOnly().getEffectivePolicies(b -> b.principal(certificate)).effectivePolicies()).hasSize(1);
    }

    @Test
    void aThingGroupArnIsAPrincipalWithItsOwnAndItsAncestorsPolicies() {
        String floor = ApiTestNode.SCOPE.arn("thinggroup", "floor-2");
        assertThat(iot().getEffectivePolicies(b -> b.principal(floor)).effectivePolicies()).extracting(EffectivePolicy::policyName)
                .containsExactlyInAnyOrder("building-telemetry", "deny-secret");
        List<AuthResult> results = iot().testAuthorization(b -> b.principal(floor).authInfos(
                ask(ActionType.PUBLISH, "topic/telemetry/temperature"), ask(ActionType.PUBLISH, "topic/telemetry/secret"))).authResults();
        assertThat(results).extracting(AuthResult::authDecision).containsExactly(AuthDecision.ALLOWED, AuthDecision.EXPLICIT_DENY);
        fails(ResourceNotFoundException.class, 404, "floor-9",
                () -> iot().getEffectivePolicies(b -> b.principal(ApiTestNode.SCOPE.arn("thinggroup", "floor-9"))));
    }

    @Test
    void getEffectivePoliciesRefusesMissingOrUnknownPrincipals() {
        fails(InvalidRequestException.class, 400, "principal", () -> iot().getEffectivePolicies(b -> b.thingName("sensor-7")));
        fails(InvalidRequestException.class, 400, "cognitoIdentityPoolId",
                () -> iot().getEffectivePolicies(b -> b.principal(certificate).cognitoIdentityPoolId("us-east-1:pool")));
        fails(ResourceNotFoundException.class, 404, "abab",
                () -> iot().getEffectivePolicies(b -> b.principal(PREFIX + "cert/" + "ab".repeat(32))));
    }
}
