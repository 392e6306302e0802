package io.rampart.api;

import static io.rampart.api.AwsErrors.fails;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreatePolicyResponse;
import software.amazon.awssdk.services.iot.model.CreatePolicyVersionResponse;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.GetPolicyResponse;
import software.amazon.awssdk.services.iot.model.GetPolicyVersionResponse;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.ListPoliciesResponse;
import software.amazon.awssdk.services.iot.model.MalformedPolicyException;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.PolicyVersion;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.VersionsLimitExceededException;

/** Policies and policy versions driven through the AWS SDK for Java v2. */
class PolicyRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    static final String PUBLISH_A = document("Allow", "iot:Publish", "arn:aws:iot:us-east-1:000000000000:topic/a");
    static final String PUBLISH_B = document("Allow", "iot:Publish", "arn:aws:iot:us-east-1:000000000000:topic/b");

    static String document(String effect, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    private static IotClient iot() {
        return node.admin();
    }

    private static String policyArn(String name) {
        return ApiTestNode.SCOPE.arn("policy", name);
    }

    @Test
    void createPolicyAnswersTheFirstVersionAndGetPolicyDescribesIt() {
        Instant before = Instant.now().minusSeconds(1);
        CreatePolicyResponse created = iot().createPolicy(b -> b.policyName("publish-a").policyDocument(PUBLISH_A));
        assertThat(created.policyName()).isEqualTo("publish-a");
        assertThat(created.policyArn()).isEqualTo(policyArn("publish-a"));
        assertThat(created.policyDocument()).isEqualTo(PUBLISH_A);
        assertThat(created.policyVersionId()).isEqualTo("1");

        GetPolicyResponse policy = iot().getPolicy(b -> b.policyName("publish-a"));
        assertThat(policy.policyName()).isEqualTo("publish-a");
        assertThat(policy.policyArn()).isEqualTo(policyArn("publish-a"));
        assertThat(policy.policyDocument()).isEqualTo(PUBLISH_A);
        assertThat(policy.defaultVersionId()).isEqualTo("1");
        assertThat(policy.creationDate()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(policy.lastModifiedDate()).isAfterOrEqualTo(policy.creationDate());
        assertThat(policy.generationId()).isNotBlank();
    }

    @Test
    void createPolicyFailuresAreModeledNameTheStatementAndCreateNothing() {
        iot().createPolicy(b -> b.policyName("taken").policyDocument(PUBLISH_A));
        fails(ResourceAlreadyExistsException.class, 409, "taken", () -> iot().createPolicy(b -> b.policyName("taken").policyDocument(PUBLISH_B)));

        String badSecondStatement = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Perhaps\",\"Action\":\"iot:Publish\",\"Resource\":\"*\"}]}";
        MalformedPolicyException malformed = fails(MalformedPolicyException.class, 400, "2",
                () -> iot().createPolicy(b -> b.policyName("bad-effect").policyDocument(badSecondStatement)));
        assertThat(malformed.awsErrorDetails().errorMessage()).containsIgnoringCase("statement").contains("Effect");
        fails(MalformedPolicyException.class, 400, "JSON", () -> iot().createPolicy(b -> b.policyName("not-json").policyDocument("{\"Version\":")));
        fails(InvalidRequestException.class, 400, "policyDocument", () -> iot().createPolicy(b -> b.policyName("no-document")));
        fails(InvalidRequestException.class, 400, "policyName", () -> iot().createPolicy(b -> b.policyName("bad name").policyDocument(PUBLISH_A)));
        fails(InvalidRequestException.class, 400, "tags",
                () -> iot().createPolicy(b -> b.policyName("tagged").policyDocument(PUBLISH_A).tags(t -> t.key("k").value("v"))));

        assertThat(iot().getPolicy(b -> b.policyName("taken")).policyDocument()).isEqualTo(PUBLISH_A);
        for (String name : List.of("bad-effect", "not-json", "no-document", "tagged")) {
            fails(ResourceNotFoundException.class, 404, name, () -> iot().getPolicy(b -> b.policyName(name)));
        }
    }

    @Test
    void concurrentCreatesOfOnePolicyGiveExactlyOneSuccess() throws Exception {
        int callers = 6;
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String document = i % 2 == 0 ? PUBLISH_A : PUBLISH_B;
            calls.add(() -> {
                try {
                    return iot().createPolicy(b -> b.policyName("raced").policyDocument(document)).policyDocument();
                } catch (ResourceAlreadyExistsException e) {
                    return "already exists";
                }
            });
        }
        List<String> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            for (Future<String> outcome : pool.invokeAll(calls)) {
                outcomes.add(outcome.get());
            }
        }
        assertThat(outcomes).filteredOn(o -> !o.equals("already exists")).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.equals("already exists")).hasSize(callers - 1);
        String winner = outcomes.stream().filter(o -> !o.equals("already exists")).findFirst().orElseThrow();
        assertThat(iot().getPolicy(b -> b.policyName("raced")).policyDocument()).isEqualTo(winner);
        assertThat(iot().listPolicyVersions(b -> b.policyName("raced")).policyVersions()).hasSize(1);
    }

    @Test
    void policyVersionsAreCreatedListedMadeDefaultAndDeleted() {
        iot().createPolicy(b -> b.policyName("versioned").policyDocument(PUBLISH_A));
        CreatePolicyVersionResponse second = iot().createPolicyVersion(b -> b.policyName("versioned").policyDocument(PUBLISH_B));
        assertThat(second.policyArn()).isEqualTo(policyArn("versioned"));
        assertThat(second.policyDocument()).isEqualTo(PUBLISH_B);
        assertThat(second.policyVersionId()).isEqualTo("2");
        assertThat(second.isDefaultVersion()).isFalse();
        assertThat(iot().getPolicy(b -> b.policyName("versioned")).defaultVersionId()).isEqualTo("1");

        CreatePolicyVersionResponse third = iot().createPolicyVersion(b -> b.policyName("versioned").policyDocument(PUBLISH_A).setAsDefault(true));
        assertThat(third.policyVersionId()).isEqualTo("3");
        assertThat(third.isDefaultVersion()).isTrue();

        List<PolicyVersion> versions = iot().listPolicyVersions(b -> b.policyName("versioned")).policyVersions();
        assertThat(versions).extracting(PolicyVersion::versionId).containsExactly("3", "2", "1");
        assertThat(versions).extracting(PolicyVersion::isDefaultVersion).containsExactly(true, false, false);
        assertThat(versions).allSatisfy(v -> assertThat(v.createDate()).isBefore(Instant.now().plusSeconds(1)));

        GetPolicyVersionResponse version2 = iot().getPolicyVersion(b -> b.policyName("versioned").policyVersionId("2"));
        assertThat(version2.policyArn()).isEqualTo(policyArn("versioned"));
        assertThat(version2.policyName()).isEqualTo("versioned");
        assertThat(version2.policyDocument()).isEqualTo(PUBLISH_B);
        assertThat(version2.policyVersionId()).isEqualTo("2");
        assertThat(version2.isDefaultVersion()).isFalse();
        assertThat(version2.creationDate()).isNotNull();
        assertThat(version2.lastModifiedDate()).isNotNull();
        assertThat(version2.generationId()).isNotBlank();

        iot().setDefaultPolicyVersion(b -> b.policyName("versioned").policyVersionId("2"));
        GetPolicyResponse policy = iot().getPolicy(b -> b.policyName("versioned"));
        assertThat(policy.defaultVersionId()).isEqualTo("2");
        assertThat(policy.policyDocument()).isEqualTo(PUBLISH_B);

        iot().deletePolicyVersion(b -> b.policyName("versioned").policyVersionId("1"));
        assertThat(iot().listPolicyVersions(b -> b.policyName("versioned")).policyVersions()).extracting(PolicyVersion::versionId)
                .containsExactly("3", "2");
    }

    @Test
    void aSixthVersionIsRefusedAndTheFiveRemain() {
        iot().createPolicy(b -> b.policyName("full").policyDocument(PUBLISH_A));
        for (int i = 0; i < 4; i++) {
            iot().createPolicyVersion(b -> b.policyName("full").policyDocument(PUBLISH_B));
        }
        fails(VersionsLimitExceededException.class, 409, "full",
                () -> iot().createPolicyVersion(b -> b.policyName("full").policyDocument(PUBLISH_A).setAsDefault(true)));
        assertThat(iot().listPolicyVersions(b -> b.policyName("full")).policyVersions()).extracting(PolicyVersion::versionId)
                .containsExactly("5", "4", "3", "2", "1");
        assertThat(iot().getPolicy(b -> b.policyName("full")).defaultVersionId()).isEqualTo("1");
    }

    @Test
    void versionFailuresAreModeledAndChangeNothing() {
        iot().createPolicy(b -> b.policyName("steady").policyDocument(PUBLISH_A));
        iot().createPolicyVersion(b -> b.policyName("steady").policyDocument(PUBLISH_B));

        fails(DeleteConflictException.class, 409, "default", () -> iot().deletePolicyVersion(b -> b.policyName("steady").policyVersionId("1")));
        fails(DeleteConflictException.class, 409, "steady", () -> iot().deletePolicy(b -> b.policyName("steady")));
        fails(ResourceNotFoundException.class, 404, "9", () -> iot().getPolicyVersion(b -> b.policyName("steady").policyVersionId("9")));
        fails(ResourceNotFoundException.class, 404, "9", () -> iot().setDefaultPolicyVersion(b -> b.policyName("steady").policyVersionId("9")));
        fails(ResourceNotFoundException.class, 404, "9", () -> iot().deletePolicyVersion(b -> b.policyName("steady").policyVersionId("9")));
        fails(InvalidRequestException.class, 400, "policyVersionId", () -> iot().getPolicyVersion(b -> b.policyName("steady").policyVersionId("one")));
        fails(MalformedPolicyException.class, 400, "Effect",
                () -> iot().createPolicyVersion(b -> b.policyName("steady").policyDocument(document("Maybe", "iot:Publish", "*"))));
        fails(ResourceNotFoundException.class, 404, "absent", () -> iot().createPolicyVersion(b -> b.policyName("absent").policyDocument(PUBLISH_A)));
        fails(ResourceNotFoundException.class, 404, "absent", () -> iot().listPolicyVersions(b -> b.policyName("absent")));

        assertThat(iot().listPolicyVersions(b -> b.policyName("steady")).policyVersions()).extracting(PolicyVersion::versionId)
                .containsExactly("2", "1");
        assertThat(iot().getPolicy(b -> b.policyName("steady")).defaultVersionId()).isEqualTo("1");
    }

    @Test
    void deletePolicyRemovesAPolicyWithOnlyItsDefaultVersion() {
        iot().createPolicy(b -> b.policyName("short-lived").policyDocument(PUBLISH_A));
        iot().deletePolicy(b -> b.policyName("short-lived"));
        fails(ResourceNotFoundException.class, 404, "short-lived", () -> iot().getPolicy(b -> b.policyName("short-lived")));
        fails(ResourceNotFoundException.class, 404, "short-lived", () -> iot().deletePolicy(b -> b.policyName("short-lived")));
    }

    @Test
    void listPoliciesPagesWithPageSizeAndMarkerToTheEnd() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            iot().createPolicy(b -> b.policyName("zz-list-" + n).policyDocument(PUBLISH_A));
        }
        List<Policy> seen = new ArrayList<>();
        String marker = null;
        do {
            String current = marker;
            ListPoliciesResponse page = iot().listPolicies(b -> b.pageSize(2).marker(current));
            assertThat(page.policies()).hasSizeLessThanOrEqualTo(2);
            seen.addAll(page.policies());
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(seen).extracting(Policy::policyName).doesNotHaveDuplicates().isSorted()
                .containsSubsequence("zz-list-0", "zz-list-1", "zz-list-2", "zz-list-3", "zz-list-4");
        assertThat(seen).allSatisfy(p -> assertThat(p.policyArn()).isEqualTo(policyArn(p.policyName())));

        fails(InvalidRequestException.class, 400, "pageSize", () -> iot().listPolicies(b -> b.pageSize(0)));
        fails(InvalidRequestException.class, 400, "nextToken", () -> iot().listPolicies(b -> b.marker("xyz")));
        fails(InvalidRequestException.class, 400, "isAscendingOrder", () -> iot().listPolicies(b -> b.ascendingOrder(false)));
    }

    @Test
    void policyAnswersUseAwsMemberNamesAndEpochSecondTimestamps() throws Exception {
        String wrongType = AwsErrors.json(node.send("POST", "/policies/wire-policy", "{\"policyDocument\": 5}")).path("message").asText();
        assertThat(wrongType).contains("'policyDocument' must be a string");
        String missing = AwsErrors.json(node.send("POST", "/policies/wire-policy", "{}")).path("message").asText();
        assertThat(missing).contains("'policyDocument' is required");

        iot().createPolicy(b -> b.policyName("wire-policy").policyDocument(PUBLISH_A));
        JsonNode policy = AwsErrors.json(node.send("GET", "/policies/wire-policy", null));
        assertThat(AwsErrors.epochSeconds(policy.path("creationDate"))).isBefore(Instant.now().plusSeconds(1));
        AwsErrors.epochSeconds(policy.path("lastModifiedDate"));
        JsonNode versions = AwsErrors.json(node.send("GET", "/policies/wire-policy/version", null));
        JsonNode first = versions.path("policyVersions").path(0);
        assertThat(first.path("versionId").asText()).isEqualTo("1");
        assertThat(first.path("isDefaultVersion").asBoolean()).isTrue();
        AwsErrors.epochSeconds(first.path("createDate"));
        JsonNode version = AwsErrors.json(node.send("POST", "/policies/wire-policy/version", "{\"policyDocument\": " + quoted(PUBLISH_B) + "}"));
        assertThat(version.has("isDefaultVersion")).isTrue();
        assertThat(version.has("defaultVersion")).isFalse();
    }

    private static String quoted(String text) throws Exception {
        return Json.newMapper().writeValueAsString(text);
    }
}
