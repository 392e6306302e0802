package io.rampart.api;

import static io.rampart.api.ApiTestNode.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * POST /rampart/policy-analysis/{analyze,diff,explain} over HTTPS with signed requests, on a small fleet: a
 * per-thing device policy on a certificate attached to thing lamp-1, which is in a group whose parent grants
 * publishing everywhere.
 */
class PolicyAnalysisRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static final String PREFIX = ApiTestNode.SCOPE.arnPrefix();
    static final String PER_THING = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"" + PREFIX + "client/${iot:Connection.Thing.ThingName}\"},"
            + "{\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",\"iot:Receive\"],\"Resource\":\"" + PREFIX + "topic/devices/${iot:Connection.Thing.ThingName}/*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"iot:Subscribe\",\"Resource\":\"" + PREFIX + "topicfilter/devices/${iot:Connection.Thing.ThingName}/*\"}]}";
    static final String EVERYTHING = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}";
    private static final String PUBLISH_ANYWHERE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"iot:Publish\",\"Resource\":\"" + PREFIX + "topic/*\"}]}";

    private static String certificateId;

    private static IotClient iot() {
        return node.admin();
    }

    @BeforeAll
    static void fleet() {
        var certificate = iot().createKeysAndCertificate(b -> b.setAsActive(true));
        certificateId = certificate.certificateId();
        iot().createPolicy(b -> b.policyName("per-thing").policyDocument(PER_THING));
        iot().createPolicy(b -> b.policyName("publish-anywhere").policyDocument(PUBLISH_ANYWHERE));
        iot().attachPolicy(b -> b.policyName("per-thing").target(certificate.certificateArn()));
        iot().createThing(b -> b.thingName("lamp-1"));
        iot().attachThingPrincipal(b -> b.thingName("lamp-1").principal(certificate.certificateArn()));
        iot().createThingGroup(b -> b.thingGroupName("site"));
        iot().createThingGroup(b -> b.thingGroupName("lamps").parentGroupName("site"));
        iot().addThingToThingGroup(b -> b.thingGroupName("lamps").thingName("lamp-1"));
        iot().attachPolicy(b -> b.policyName("publish-anywhere").target(ApiTestNode.SCOPE.arn("thinggroup", "site")));
        iot().createThing(b -> b.thingName("no-certificate"));
    }

    private static ObjectNode body(Object... membersAndValues) {
        ObjectNode body = Json.newMapper().createObjectNode();
        for (int i = 0; i < membersAndValues.length; i += 2) {
            body.set((String) membersAndValues[i], Json.newMapper().valueToTree(membersAndValues[i + 1]));
        }
        return body;
    }

    private static JsonNode ok(String verb, ObjectNode body) throws Exception {
        HttpResponse<String> response = node.send("POST", "/rampart/policy-analysis/" + verb, body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.newMapper().readTree(response.body());
    }

    private static void fails(String verb, String body, int status, String errorType, String message) throws Exception {
        HttpResponse<String> response = node.send("POST", "/rampart/policy-analysis/" + verb, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(header(response, "x-amzn-ErrorType")).isEqualTo(errorType);
        assertThat(Json.newMapper().readTree(response.body()).path("message").asText()).contains(message);
    }

    private static JsonNode result(JsonNode answer, String check) {
        for (JsonNode result : answer.path("results")) {
            if (result.path("check").asText().equals(check)) {
                return result;
            }
        }
        throw new AssertionError("no result for " + check + " in " + answer);
    }

    @Test
    void anInlineIotStarPolicyIsOverlyPermissiveWithAConcreteRequest() throws Exception {
        JsonNode answer = ok("analyze", body("policyDocument", EVERYTHING));

        JsonNode overly = result(answer, "OVERLY_PERMISSIVE");
        assertThat(overly.path("verdict").asText()).isEqualTo("COUNTEREXAMPLE");
        assertThat(overly.path("counterexample").path("action").asText()).isEqualTo("iot:Connect");
        assertThat(overly.path("counterexample").path("resource").asText()).startsWith(PREFIX + "client/");
        assertThat(overly.path("counterexample").path("clientId").asText()).isNotEmpty();
        JsonNode audit = result(answer, "AUDIT");
        assertThat(audit.path("classification").asText()).isEqualTo("OVERLY_PERMISSIVE");
        assertThat(audit.path("reasonCode").asText()).isEqualTo("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS");
        assertThat(answer.path("substitutionMode").asText()).isEqualTo("STRICT");
    }

    @Test
    void aStoredPerThingPolicyIsProvedIsolatedAndSafe() throws Exception {
        JsonNode answer = ok("analyze", body("policyName", "per-thing", "namespacePrefix", "devices"));

        assertThat(answer.path("subject").asText()).isEqualTo("policy per-thing version 1");
        for (JsonNode result : answer.path("results")) {
            if (result.has("verdict")) {
                assertThat(result.path("verdict").asText()).as(result.toString()).isEqualTo("PROVED");
            }
        }
        assertThat(result(answer, "PUBLISH_OUTSIDE_NAMESPACE").path("requesters")).isNotEmpty();
        assertThat(result(answer, "AUDIT").path("classification").asText()).isEqualTo("SAFE");
    }

    @Test
    void aThingGetsItsGroupsInheritedPoliciesAndTheCounterexampleSaysHow() throws Exception {
        JsonNode answer = ok("analyze", body("thingName", "lamp-1", "namespacePrefix", "devices"));

        JsonNode escape = result(answer, "PUBLISH_OUTSIDE_NAMESPACE");
        assertThat(escape.path("verdict").asText()).isEqualTo("COUNTEREXAMPLE");
        JsonNode request = escape.path("counterexample");
        assertThat(request.path("explanation").asText()).startsWith("certificate " + certificateId + " as thing lamp-1: ");
        assertThat(request.path("clientId").asText()).isEqualTo("lamp-1");
        assertThat(request.path("thing").path("attached").asBoolean()).isTrue();
        assertThat(request.path("certificateId").asText()).isEqualTo(certificateId);
        assertThat(result(answer, "CONNECT_AS_OTHER_CLIENT").path("verdict").asText()).isEqualTo("PROVED");

        // The gateway agrees: TestAuthorization with the same certificate and client id allows it.
        var decision = iot().testAuthorization(b -> b.principal(ApiTestNode.SCOPE.arn("cert", certificateId))
                .clientId("lamp-1").authInfos(a -> a.actionType("PUBLISH").resources(request.path("resource").asText())));
        assertThat(decision.authResults().get(0).authDecisionAsString()).isEqualTo("ALLOWED");
    }

    @Test
    void aCertificateIsAnalyzedWithAnyClientIdAndAsEachAttachedThing() throws Exception {
        JsonNode answer = ok("analyze", body("certificateId", certificateId));

        JsonNode overly = result(answer, "OVERLY_PERMISSIVE");
        assertThat(overly.path("verdict").asText()).isEqualTo("COUNTEREXAMPLE");
        assertThat(overly.path("counterexample").path("explanation").asText()).contains("as thing lamp-1");
        assertThat(answer.path("results").findValuesAsText("check")).doesNotContain("AUDIT");
    }

    @Test
    void aThingGroupIsAnalyzedWithItsAncestorsPolicies() throws Exception {
        JsonNode answer = ok("analyze", body("thingGroupName", "lamps", "referencePolicyName", "per-thing"));

        JsonNode within = result(answer, "WITHIN_REFERENCE");
        assertThat(within.path("verdict").asText()).isEqualTo("COUNTEREXAMPLE");
        assertThat(within.path("counterexample").path("action").asText()).isEqualTo("iot:Publish");
        assertThat(ok("analyze", body("thingGroupName", "site", "referencePolicyDocument", PUBLISH_ANYWHERE,
                "checks", List.of("REFERENCE"))).path("results").get(0).path("verdict").asText()).isEqualTo("PROVED");
    }

    @Test
    void diffNamesWhatTheNewVersionAddsAndProvesEqualVersionsEqual() throws Exception {
        iot().createPolicy(b -> b.policyName("evolving").policyDocument(PER_THING));
        iot().createPolicyVersion(b -> b.policyName("evolving").policyDocument(PER_THING.replace(
                "\"iot:Subscribe\"", "[\"iot:Subscribe\",\"iot:RetainPublish\"]").replace(
                "topicfilter/devices/", "topicfilter/devices/").replace(
                "[\"iot:Publish\",\"iot:Receive\"]", "[\"iot:Publish\"]")));

        JsonNode changed = ok("diff", body("policyName", "evolving", "fromVersionId", "1", "toVersionId", "2"));
        assertThat(changed.path("verdict").asText()).isEqualTo("COUNTEREXAMPLE");
        assertThat(changed.path("added").findValuesAsText("action")).containsExactly("iot:RetainPublish");
        assertThat(changed.path("removed").findValuesAsText("action")).containsExactly("iot:Receive");

        JsonNode same = ok("diff", body("fromPolicyName", "per-thing", "toPolicyDocument", PER_THING));
        assertThat(same.path("verdict").asText()).isEqualTo("PROVED");
        assertThat(same.path("added")).isEmpty();
    }

    @Test
    void explainGivesTheDecidingStatementAndTheAnalyzersAgreement() throws Exception {
        JsonNode allowed = ok("explain", body("policyName", "per-thing", "action", "iot:Publish",
                "resource", "topic/devices/lamp-1/state", "clientId", "lamp-1", "thingAttached", true));
        assertThat(allowed.path("decision").asText()).isEqualTo("ALLOWED");
        assertThat(allowed.path("statements").get(0).path("statementIndex").asInt()).isEqualTo(2);
        assertThat(allowed.path("statements").get(0).path("effect").asText()).isEqualTo("Allow");
        assertThat(allowed.path("analyzer").path("allowed").asBoolean()).isTrue();
        assertThat(allowed.path("analyzer").path("agrees").asBoolean()).isTrue();

        JsonNode viaCertificate = ok("explain", body("certificateId", certificateId, "action", "iot:Publish",
                "resource", PREFIX + "topic/anything", "clientId", "lamp-1"));
        assertThat(viaCertificate.path("decision").asText()).isEqualTo("ALLOWED");
        assertThat(viaCertificate.path("statements").get(0).path("policyName").asText()).isEqualTo("publish-anywhere");
        assertThat(viaCertificate.path("analyzer").path("agrees").asBoolean()).isTrue();

        JsonNode denied = ok("explain", body("policyName", "per-thing", "action", "iot:Publish",
                "resource", "topic/devices/lamp-2/state", "clientId", "lamp-1", "thingAttached", true));
        assertThat(denied.path("decision").asText()).isEqualTo("IMPLICIT_DENY");
        assertThat(denied.path("analyzer").path("allowed").asBoolean()).isFalse();
    }

    @Test
    void unsupportedConstructsAreNamedWithTheirStatement() throws Exception {
        String byNetwork = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}";

        JsonNode overly = result(ok("analyze", body("policyDocument", byNetwork)), "OVERLY_PERMISSIVE");

        assertThat(overly.path("verdict").asText()).isEqualTo("UNSUPPORTED");
        assertThat(overly.path("unsupported").get(0).path("statement").asText()).endsWith("statement 1");
        assertThat(overly.path("unsupported").get(0).path("construct").asText()).contains("aws:SourceIp");
    }

    @Test
    void readOnlyKeysMayAnalyze() throws Exception {
        HttpResponse<String> response = node.send(TestSigner.forKey(node.readOnlyKey()).sign("POST",
                node.endpoint().resolve("/rampart/policy-analysis/analyze"),
                body("policyName", "per-thing").toString(), Map.of()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void badInputIsRefusedWithAwsErrorsThatSayWhatToFix() throws Exception {
        fails("analyze", "{not json", 400, "InvalidRequestException", "not valid JSON");
        fails("analyze", "{}", 400, "InvalidRequestException", "give exactly one of policyName, policyDocument");
        fails("analyze", body("policyName", "per-thing", "thingName", "lamp-1").toString(), 400,
                "InvalidRequestException", "got policyName, thingName");
        fails("analyze", body("policyDocument", "{\"Version\":\"2012-10-17\"}").toString(), 400,
                "MalformedPolicyException", "Statement");
        fails("analyze", body("policyName", "no-such-policy").toString(), 404, "ResourceNotFoundException",
                "no-such-policy");
        fails("analyze", body("policyName", "per-thing", "policyVersionId", "9").toString(), 404,
                "ResourceNotFoundException", "9");
        fails("analyze", body("certificateId", "ab".repeat(32)).toString(), 404, "ResourceNotFoundException",
                "ab".repeat(32));
        fails("analyze", body("thingName", "no-such-thing").toString(), 404, "ResourceNotFoundException", "no-such-thing");
        fails("analyze", body("thingName", "no-certificate").toString(), 400, "InvalidRequestException",
                "has no certificate attached");
        fails("analyze", body("thingGroupName", "no-such-group").toString(), 404, "ResourceNotFoundException",
                "no-such-group");
        fails("analyze", body("policyName", "per-thing", "checks", List.of("EVERYTHING")).toString(), 400,
                "InvalidRequestException", "checks[] must be one of OVERLY_PERMISSIVE");
        fails("analyze", body("policyName", "per-thing", "checks", List.of("DEVICE_ISOLATION")).toString(), 400,
                "InvalidRequestException", "namespacePrefix");
        fails("analyze", body("policyName", "per-thing", "namespacePrefix", "devices/+").toString(), 400,
                "InvalidRequestException", "wildcards");
        fails("analyze", body("policyName", "per-thing", "checks", List.of("REFERENCE")).toString(), 400,
                "InvalidRequestException", "referencePolicyName");
        fails("analyze", body("thingName", "lamp-1", "checks", List.of("AUDIT")).toString(), 400,
                "InvalidRequestException", "AUDIT classifies one policy");
        fails("analyze", body("policyName", "per-thing", "substitutionMode", "LOOSE").toString(), 400,
                "InvalidRequestException", "substitutionMode must be one of STRICT, AWS_COMPATIBLE");
        fails("diff", body("policyName", "per-thing", "fromVersionId", "7").toString(), 404,
                "ResourceNotFoundException", "7");
        fails("diff", body("fromPolicyName", "per-thing").toString(), 400, "InvalidRequestException",
                "the 'to' side is missing");
        fails("explain", body("policyName", "per-thing", "resource", "topic/a").toString(), 400,
                "InvalidRequestException", "member 'action' is required");
        fails("explain", body("policyName", "per-thing", "action", "iot:Publish", "resource", "a").toString(), 400,
                "InvalidRequestException", "must be an ARN or '<type>/<name>'");
        fails("explain", body("action", "iot:Publish", "resource", "topic/a").toString(), 400,
                "InvalidRequestException", "give the policies to explain");
        fails("explain", body("policyName", "per-thing", "action", "iot:Publish", "resource", "topic/a",
                "thingAttached", true).toString(), 400, "InvalidRequestException", "'thingAttached' needs 'clientId'");
    }
}
