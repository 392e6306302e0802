package io.rampart.api;

import static io.rampart.api.AwsErrors.fails;
import static io.rampart.api.PolicyRoutesTest.PUBLISH_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.LimitExceededException;
import software.amazon.awssdk.services.iot.model.ListTargetsForPolicyResponse;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/** AttachPolicy and friends, including the deprecated principal-policy calls the AWS CLI still offers. */
class PolicyAttachmentRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static IotClient iot() {
        return node.admin();
    }

    private static String newCertificateArn() {
        return iot().createKeysAndCertificate(b -> b.setAsActive(true)).certificateArn();
    }

    private static String groupArn(String name) {
        return ApiTestNode.SCOPE.arn("thinggroup", name);
    }

    private static Policy ref(String name) {
        return Policy.builder().policyName(name).policyArn(ApiTestNode.SCOPE.arn("policy", name)).build();
    }

    @Test
    void policiesAttachToCertificatesAndGroupsAndAreListedFromBothSides() {
        String cert = newCertificateArn();
        iot().createThingGroup(b -> b.thingGroupName("estate"));
        iot().createThingGroup(b -> b.thingGroupName("estate-house").parentGroupName("estate"));
        iot().createPolicy(b -> b.policyName("p-cert").policyDocument(PUBLISH_A));
        iot().createPolicy(b -> b.policyName("p-estate").policyDocument(PUBLISH_A));
        iot().createPolicy(b -> b.policyName("p-house").policyDocument(PUBLISH_A));

        iot().attachPolicy(b -> b.policyName("p-cert").target(cert));
        iot().attachPolicy(b -> b.policyName("p-cert").target(cert));
        iot().attachPolicy(b -> b.policyName("p-estate").target(groupArn("estate")));
        iot().attachPolicy(b -> b.policyName("p-house").target(groupArn("estate-house")));
        iot().attachPolicy(b -> b.policyName("p-estate").target(cert));

        assertThat(iot().listAttachedPolicies(b -> b.target(cert)).policies()).containsExactly(ref("p-cert"), ref("p-estate"));
        assertThat(iot().listAttachedPolicies(b -> b.target(groupArn("estate-house"))).policies()).containsExactly(ref("p-house"));
        assertThat(iot().listAttachedPolicies(b -> b.target(groupArn("estate-house")).recursive(true)).policies())
                .containsExactlyInAnyOrder(ref("p-house"), ref("p-estate"));
        assertThat(iot().listTargetsForPolicy(b -> b.policyName("p-estate")).targets()).containsExactlyInAnyOrder(cert, groupArn("estate"));

        iot().detachPolicy(b -> b.policyName("p-estate").target(cert));
        assertThat(iot().listAttachedPolicies(b -> b.target(cert)).policies()).containsExactly(ref("p-cert"));
        assertThat(iot().listTargetsForPolicy(b -> b.policyName("p-estate")).targets()).containsExactly(groupArn("estate"));
    }

    @Test
    void listTargetsForPolicyAndListAttachedPoliciesPageWithPageSizeAndMarker() {
        iot().createPolicy(b -> b.policyName("p-wide").policyDocument(PUBLISH_A));
        List<String> certs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String cert = newCertificateArn();
            certs.add(cert);
            iot().attachPolicy(b -> b.policyName("p-wide").target(cert));
        }
        List<String> targets = new ArrayList<>();
        String marker = null;
        do {
            String current = marker;
            ListTargetsForPolicyResponse page = iot().listTargetsForPolicy(b -> b.policyName("p-wide").pageSize(2).marker(current));
            assertThat(page.targets()).hasSizeLessThanOrEqualTo(2);
            targets.addAll(page.targets());
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(targets).containsExactlyInAnyOrderElementsOf(certs);

        String cert = certs.getFirst();
        for (int i = 0; i < 3; i++) {
            int n = i;
            iot().createPolicy(b -> b.policyName("p-many-" + n).policyDocument(PUBLISH_A));
            iot().attachPolicy(b -> b.policyName("p-many-" + n).target(cert));
        }
        List<Policy> attached = new ArrayList<>();
        marker = null;
        do {
            String current = marker;
            var page = iot().listAttachedPolicies(b -> b.target(cert).pageSize(1).marker(current));
            assertThat(page.policies()).hasSizeLessThanOrEqualTo(1);
            attached.addAll(page.policies());
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(attached).containsExactlyInAnyOrder(ref("p-wide"), ref("p-many-0"), ref("p-many-1"), ref("p-many-2"));

        fails(InvalidRequestException.class, 400, "pageSize", () -> iot().listTargetsForPolicy(b -> b.policyName("p-wide").pageSize(251)));
        fails(InvalidRequestException.class, 400, "nextToken", () -> iot().listAttachedPolicies(b -> b.target(cert).marker("junk")));
    }

    @Test
    void attachmentFailuresAreModeledAndAttachNothing() {
        String cert = newCertificateArn();
        iot().createPolicy(b -> b.policyName("p-lonely").policyDocument(PUBLISH_A));
        String unknownCert = ApiTestNode.SCOPE.arn("cert", "cd".repeat(32));

        fails(ResourceNotFoundException.class, 404, "p-missing", () -> iot().attachPolicy(b -> b.policyName("p-missing").target(cert)));
        fails(ResourceNotFoundException.class, 404, "cdcd", () -> iot().attachPolicy(b -> b.policyName("p-lonely").target(unknownCert)));
        fails(ResourceNotFoundException.class, 404, "no-group", () -> iot().attachPolicy(b -> b.policyName("p-lonely").target(groupArn("no-group"))));
        fails(InvalidRequestException.class, 400, "target", () -> iot().attachPolicy(b -> b.policyName("p-lonely").target("arn:aws:iot:us-east-1:000000000000:thing/x")));
        fails(InvalidRequestException.class, 400, "target", () -> iot().attachPolicy(b -> b.policyName("p-lonely")));
        fails(ResourceNotFoundException.class, 404, "p-missing", () -> iot().listTargetsForPolicy(b -> b.policyName("p-missing")));

        assertThat(iot().listTargetsForPolicy(b -> b.policyName("p-lonely")).targets()).isEmpty();
        assertThat(iot().listAttachedPolicies(b -> b.target(cert)).policies()).isEmpty();
    }

    @Test
    void anEleventhPolicyOnOneTargetIsALimitAndAnAttachedPolicyCannotBeDeleted() {
        String cert = newCertificateArn();
        for (int i = 0; i < 10; i++) {
            int n = i;
            iot().createPolicy(b -> b.policyName("p-limit-" + n).policyDocument(PUBLISH_A));
            iot().attachPolicy(b -> b.policyName("p-limit-" + n).target(cert));
        }
        iot().createPolicy(b -> b.policyName("p-limit-10").policyDocument(PUBLISH_A));
        fails(LimitExceededException.class, 410, "10", () -> iot().attachPolicy(b -> b.policyName("p-limit-10").target(cert)));
        assertThat(iot().listAttachedPolicies(b -> b.target(cert).pageSize(50)).policies()).hasSize(10);

        fails(DeleteConflictException.class, 409, "p-limit-0", () -> iot().deletePolicy(b -> b.policyName("p-limit-0")));
        assertThat(iot().getPolicy(b -> b.policyName("p-limit-0")).policyName()).isEqualTo("p-limit-0");
    }

    @Test
    void deprecatedPrincipalPolicyCallsAttachListAndDetach() {
        String cert = newCertificateArn();
        iot().createThingGroup(b -> b.thingGroupName("legacy-group"));
        iot().createPolicy(b -> b.policyName("p-legacy").policyDocument(PUBLISH_A));

        iot().attachPrincipalPolicy(b -> b.policyName("p-legacy").principal(cert));
        iot().attachPolicy(b -> b.policyName("p-legacy").target(groupArn("legacy-group")));
        assertThat(iot().listPrincipalPolicies(b -> b.principal(cert)).policies()).containsExactly(ref("p-legacy"));
        assertThat(iot().listPolicyPrincipals(b -> b.policyName("p-legacy")).principals()).containsExactly(cert);
        assertThat(iot().listAttachedPolicies(b -> b.target(cert)).policies()).containsExactly(ref("p-legacy"));

        iot().detachPrincipalPolicy(b -> b.policyName("p-legacy").principal(cert));
        assertThat(iot().listPrincipalPolicies(b -> b.principal(cert)).policies()).isEmpty();
        assertThat(iot().listPolicyPrincipals(b -> b.policyName("p-legacy")).principals()).isEmpty();
    }

    @Test
    void deprecatedPrincipalPolicyCallsNeedTheirHeaders() throws Exception {
        iot().createPolicy(b -> b.policyName("p-headers").policyDocument(PUBLISH_A));
        HttpResponse<String> noPrincipal = node.send("PUT", "/principal-policies/p-headers", null);
        assertThat(noPrincipal.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(noPrincipal).path("message").asText()).contains("x-amzn-iot-principal");
        HttpResponse<String> noPolicy = node.send("GET", "/policy-principals", null);
        assertThat(noPolicy.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(noPolicy).path("message").asText()).contains("x-amzn-iot-policy");
        fails(ResourceNotFoundException.class, 404, "p-nope", () -> iot().attachPrincipalPolicy(b -> b.policyName("p-nope").principal(newCertificateArn())));
        fails(InvalidRequestException.class, 400, "isAscendingOrder", () -> iot().listPolicyPrincipals(b -> b.policyName("p-headers").ascendingOrder(false)));
        assertThat(iot().listPolicyPrincipals(b -> b.policyName("p-headers")).principals()).isEmpty();
    }

    @Test
    void readOnlyKeysMayListAttachmentsButNotAttach() {
        String cert = newCertificateArn();
        iot().createPolicy(b -> b.policyName("p-ro").policyDocument(PUBLISH_A));
        fails(IotException.class, 403, "read-only",
                () -> node.readOnly().attachPolicy(b -> b.policyName("p-ro").target(cert)));
        assertThat(node.readOnly().listTargetsForPolicy(b -> b.policyName("p-ro")).targets()).isEmpty();
        assertThat(node.readOnly().listAttachedPolicies(b -> b.target(cert)).policies()).isEmpty();
    }
}
