package io.rampart.api;

import static io.rampart.api.ApiTestNode.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.IotException;

/** The HTTP framework: SigV4, roles, error bodies, limits, routing, as clients see them on the wire. */
class ApiFrameworkTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.newMapper().readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(header(response, "x-amzn-ErrorType")).isEqualTo(type);
        assertThat(header(response, "x-amzn-RequestId")).isNotBlank();
        assertThat(json(response).path("message").asText()).isNotBlank();
    }

    private URI uri(String pathAndQuery) {
        return node.endpoint().resolve(pathAndQuery);
    }

    @Test
    void sdkClientSignedWithBootstrappedKeyIsServed() {
        String address = node.admin().describeEndpoint(DescribeEndpointRequest.builder().endpointType("iot:Data-ATS").build()).endpointAddress();
        assertThat(address).isEqualTo("localhost");
    }

    @Test
    void modeledErrorReachesTheSdkAsItsExceptionClass() {
        assertThatThrownBy(() -> node.admin().describeEndpoint(b -> b.endpointType("iot:Nonsense")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("endpointType must be one of");
    }

    @Test
    void everyResponseCarriesARequestId() throws Exception {
        HttpResponse<String> ok = node.send("GET", "/endpoint", null);
        HttpResponse<String> notFound = node.send("GET", "/no/such/operation", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(header(ok, "x-amzn-RequestId")).isNotBlank();
        assertThat(header(notFound, "x-amzn-RequestId")).isNotBlank().isNotEqualTo(header(ok, "x-amzn-RequestId"));
    }

    @Test
    void unsignedRequestIsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> response = node.send(HttpRequest.newBuilder(uri("/endpoint")).GET().build());
        assertError(response, 403, "MissingAuthenticationTokenException");
    }

    @Test
    void unknownAccessKeyIsUnrecognizedClient() throws Exception {
        TestSigner signer = TestSigner.forKey(node.adminKey()).withAccessKeyId("AKIAAAAAAAAAAAAAAAAA");
        assertError(node.send(signer.sign("GET", uri("/endpoint"), null, Map.of())), 403, "UnrecognizedClientException");
        assertThatThrownBy(() -> node.client("AKIAAAAAAAAAAAAAAAAA", "x".repeat(40)).describeEndpoint(b -> b.endpointType("iot:Data-ATS")))
                .isInstanceOfSatisfying(IotException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                });
    }

    @Test
    void wrongSecretIsInvalidSignature() throws Exception {
        TestSigner signer = TestSigner.forKey(node.adminKey()).withSecret("w".repeat(40));
        HttpResponse<String> response = node.send(signer.sign("GET", uri("/endpoint"), null, Map.of()));
        assertError(response, 403, "InvalidSignatureException");
        assertThat(json(response).path("message").asText()).contains("signature we calculated does not match");
    }

    @Test
    void signatureOlderThanFifteenMinutesIsExpired() throws Exception {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-16));
        HttpResponse<String> response = node.send(TestSigner.forKey(node.adminKey()).withClock(past).sign("GET", uri("/endpoint"), null, Map.of()));
        assertError(response, 403, "InvalidSignatureException");
        assertThat(json(response).path("message").asText()).startsWith("Signature expired");
    }

    @Test
    void signatureFromSixteenMinutesInTheFutureIsRefused() throws Exception {
        Clock future = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16));
        HttpResponse<String> response = node.send(TestSigner.forKey(node.adminKey()).withClock(future).sign("GET", uri("/endpoint"), null, Map.of()));
        assertError(response, 403, "InvalidSignatureException");
        assertThat(json(response).path("message").asText()).startsWith("Signature not yet current");
    }

    @Test
    void signatureWithinTheAllowedSkewIsAccepted() throws Exception {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-14));
        HttpResponse<String> response = node.send(TestSigner.forKey(node.adminKey()).withClock(past).sign("GET", uri("/endpoint"), null, Map.of()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void tamperedBodyIsRefusedAndChangesNothing() throws Exception {
        String signedBody = "{\"name\":\"honest\",\"readOnly\":true}";
        Map<String, List<String>> headers = TestSigner.forKey(node.adminKey())
                .signedHeaders("POST", uri("/rampart/access-keys"), signedBody, Map.of("Content-Type", "application/json"));
        int before = node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items().size();
        HttpResponse<String> response = node.send(TestSigner.build("POST", uri("/rampart/access-keys"),
                "{\"name\":\"evil!!\",\"readOnly\":false}", headers));
        assertError(response, 403, "InvalidSignatureException");
        assertThat(node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items()).hasSize(before);
    }

    @Test
    void contentShaHeaderThatDoesNotMatchTheBodyIsRefused() throws Exception {
        String body = "{\"name\":\"sha\"}";
        Map<String, List<String>> headers = new HashMap<>(TestSigner.forKey(node.adminKey())
                .signedHeaders("POST", uri("/rampart/access-keys"), body, Map.of()));
        assertThat(headers).containsKey("x-amz-content-sha256");
        headers.put("x-amz-content-sha256", List.of("0".repeat(64)));
        HttpResponse<String> response = node.send(TestSigner.build("POST", uri("/rampart/access-keys"), body, headers));
        assertError(response, 403, "InvalidSignatureException");
        assertThat(json(response).path("message").asText()).contains("x-amz-content-sha256");
    }

    @Test
    void signatureScopedToAnotherRegionIsRefused() throws Exception {
        HttpResponse<String> response = node.send(TestSigner.forKey(node.adminKey()).withRegion("eu-west-1").sign("GET", uri("/endpoint"), null, Map.of()));
        assertError(response, 403, "InvalidSignatureException");
        assertThat(json(response).path("message").asText()).contains("us-east-1").contains("eu-west-1");
    }

    @Test
    void signatureScopedToAnotherServiceIsRefused() throws Exception {
        HttpResponse<String> response = node.send(TestSigner.forKey(node.adminKey()).withService("s3").sign("GET", uri("/endpoint"), null, Map.of()));
        assertError(response, 403, "InvalidSignatureException");
    }

    @Test
    void garbledAuthorizationHeaderIsIncompleteSignature() throws Exception {
        Map<String, List<String>> headers = new HashMap<>(TestSigner.forKey(node.adminKey()).signedHeaders("GET", uri("/endpoint"), null, Map.of()));
        headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=garbage"));
        assertError(node.send(TestSigner.build("GET", uri("/endpoint"), null, headers)), 400, "IncompleteSignatureException");
        headers.put("Authorization", List.of("Basic YWRtaW46YWRtaW4="));
        assertError(node.send(TestSigner.build("GET", uri("/endpoint"), null, headers)), 400, "IncompleteSignatureException");
    }

    @Test
    void presignedQueryFormIsRefusedClearly() throws Exception {
        HttpResponse<String> response = node.send(HttpRequest.newBuilder(uri(
                "/endpoint?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x&X-Amz-Signature=00")).GET().build());
        assertError(response, 400, "IncompleteSignatureException");
        assertThat(json(response).path("message").asText()).contains("presigned");
    }

    @Test
    void signatureCoversQueryParameters() throws Exception {
        Map<String, List<String>> headers = TestSigner.forKey(node.adminKey()).signedHeaders("GET", uri("/endpoint?endpointType=iot%3AData-ATS"), null, Map.of());
        assertThat(node.send(TestSigner.build("GET", uri("/endpoint?endpointType=iot%3AData-ATS"), null, headers)).statusCode()).isEqualTo(200);
        assertError(node.send(TestSigner.build("GET", uri("/endpoint?endpointType=iot%3AJobs"), null, headers)), 403, "InvalidSignatureException");
    }

    @Test
    void unknownPathIsNotFoundInAwsForm() throws Exception {
        assertError(node.send("GET", "/no/such/operation", null), 404, "UnknownOperationException");
    }

    @Test
    void wrongMethodIsMethodNotAllowed() throws Exception {
        HttpResponse<String> response = node.send("DELETE", "/endpoint", null);
        assertError(response, 405, "MethodNotAllowedException");
        assertThat(json(response).path("message").asText()).contains("GET");
    }

    @Test
    void bodyOverTheLimitIsRefusedWith413() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(ApiConfig.DEFAULT_MAX_REQUEST_BYTES) + "\"}";
        int before = node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items().size();
        HttpResponse<String> response = node.send("POST", "/rampart/access-keys", big);
        assertError(response, 413, "RequestEntityTooLargeException");
        assertThat(node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items()).hasSize(before);
    }

    @Test
    void malformedJsonIsInvalidRequestNamingTheProblem() throws Exception {
        HttpResponse<String> response = node.send("POST", "/rampart/access-keys", "{\"name\": \"x\",");
        assertError(response, 400, "InvalidRequestException");
        assertThat(json(response).path("message").asText()).contains("not valid JSON").contains("line 1");
        assertError(node.send("POST", "/rampart/access-keys", "[1,2]"), 400, "InvalidRequestException");
        assertError(node.send("POST", "/rampart/access-keys", "{\"name\": 5}"), 400, "InvalidRequestException");
        assertError(node.send("POST", "/rampart/access-keys", "{\"name\": \"a\", \"name\": \"b\"}"), 400, "InvalidRequestException");
    }

    @Test
    void readOnlyKeyIsDeniedAWriteAsIamWould() throws Exception {
        int before = node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items().size();
        HttpResponse<String> response = node.send(TestSigner.forKey(node.readOnlyKey())
                .sign("POST", uri("/rampart/access-keys"), "{\"name\":\"sneaky\"}", Map.of()));
        assertError(response, 403, "AccessDeniedException");
        assertThat(json(response).path("message").asText()).contains("is not authorized to perform: iot:CreateAccessKey");
        assertThat(node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items()).hasSize(before);
    }

    @Test
    void readOnlyKeyMayCallReadOperations() {
        assertThat(node.readOnly().describeEndpoint(b -> b.endpointType("iot:Data-ATS")).endpointAddress()).isEqualTo("localhost");
    }

    @Test
    void pathParametersAreDecodedAndEncodedSlashesSignCorrectly() throws Exception {
        HttpResponse<String> response = node.send("DELETE", "/rampart/access-keys/AKIA%2Fnot%20a%20key", null);
        assertError(response, 404, "ResourceNotFoundException");
        assertThat(json(response).path("message").asText()).contains("AKIA/not a key");
    }

    @Test
    void sdkClientWithAWrongSecretGetsInvalidSignature() {
        try (var wrong = node.client(node.adminKey().key().accessKeyId(), "w".repeat(40))) {
            assertThatThrownBy(() -> wrong.describeEndpoint(b -> b.endpointType("iot:Data-ATS")))
                    .isInstanceOfSatisfying(IotException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    });
        }
    }

    @Test
    void plainHttpIsNotServed() {
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/endpoint"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        assertThatThrownBy(() -> node.send(plain)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void speaksTls13AndTls12() throws Exception {
        javax.net.ssl.SSLContext context = io.rampart.pki.TlsContexts.client(List.of(node.ca().certificate()));
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", node.port())) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            }
        }
    }

    @Test
    void concurrentSignedRequestsAreEachAnsweredOnce() throws Exception {
        int requests = 48;
        java.util.Set<String> requestIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String path = i % 2 == 0 ? "/endpoint?endpointType=iot%3AData-ATS" : "/rampart/access-keys?maxResults=5";
                statuses.add(executor.submit(() -> {
                    HttpResponse<String> response = node.send("GET", path, null);
                    requestIds.add(header(response, "x-amzn-RequestId"));
                    return response.statusCode();
                }));
            }
            for (var status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
        }
        assertThat(requestIds).hasSize(requests);
    }
}
