package io.rampart.api;

import static io.rampart.api.ApiTestNode.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.IotException;

/** POST/GET/DELETE /rampart/access-keys, driven over HTTPS with signed requests. */
class AccessKeyRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.newMapper().readTree(response.body());
    }

    @Test
    void createdKeySignsRequestsAtOnceAndItsRoleHolds() throws Exception {
        HttpResponse<String> created = node.send("POST", "/rampart/access-keys", "{\"name\":\"dashboard\",\"readOnly\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode key = json(created);
        assertThat(key.path("accessKeyId").asText()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.path("secretAccessKey").asText()).hasSize(40);
        assertThat(key.path("readOnly").asBoolean()).isTrue();
        assertThat(key.path("name").asText()).isEqualTo("dashboard");
        assertThat(key.path("createdAt").isNumber()).isTrue();

        try (IotClient dashboard = node.client(key.path("accessKeyId").asText(), key.path("secretAccessKey").asText())) {
            assertThat(dashboard.describeEndpoint(b -> b.endpointType("iot:Data-ATS")).endpointAddress()).isEqualTo("localhost");
        }
        HttpResponse<String> denied = node.send(TestSigner.forKey(node.readOnlyKey()).sign("GET",
                node.endpoint().resolve("/rampart/access-keys"), null, Map.of()));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(header(denied, "x-amzn-ErrorType")).isEqualTo("AccessDeniedException");
    }

    @Test
    void listShowsKeysButNeverSecrets() throws Exception {
        HttpResponse<String> created = node.send("POST", "/rampart/access-keys", "{\"name\":\"listed\"}");
        String secret = json(created).path("secretAccessKey").asText();
        HttpResponse<String> listed = node.send("GET", "/rampart/access-keys?maxResults=250", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(secret).doesNotContain(node.adminKey().secretAccessKey()).doesNotContain("secretAccessKey");
        assertThat(json(listed).path("accessKeys").findValuesAsText("name")).contains("admin", "auditor", "listed");
    }

    @Test
    void listPagesWithMaxResultsAndNextToken() throws Exception {
        for (int i = 0; i < 3; i++) {
            node.send("POST", "/rampart/access-keys", "{\"name\":\"page-" + i + "\"}");
        }
        JsonNode first = json(node.send("GET", "/rampart/access-keys?maxResults=2", null));
        assertThat(first.path("accessKeys")).hasSize(2);
        String token = first.path("nextToken").asText();
        assertThat(token).isNotEmpty();
        JsonNode second = json(node.send("GET", "/rampart/access-keys?maxResults=2&nextToken=" + token, null));
        assertThat(second.path("accessKeys").get(0).path("accessKeyId").asText())
                .isGreaterThan(first.path("accessKeys").get(1).path("accessKeyId").asText());
        assertThat(node.send("GET", "/rampart/access-keys?maxResults=0", null).statusCode()).isEqualTo(400);
        assertThat(node.send("GET", "/rampart/access-keys?maxResults=lots", null).statusCode()).isEqualTo(400);
    }

    @Test
    void deletedKeyIsRefusedFromThenOn() throws Exception {
        JsonNode key = json(node.send("POST", "/rampart/access-keys", "{\"name\":\"temporary\"}"));
        String id = key.path("accessKeyId").asText();
        HttpResponse<String> deleted = node.send("DELETE", "/rampart/access-keys/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        try (IotClient gone = node.client(id, key.path("secretAccessKey").asText())) {
            assertThatThrownBy(() -> gone.describeEndpoint(b -> b.endpointType("iot:Data-ATS")))
                    .isInstanceOfSatisfying(IotException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
        assertThat(node.send("DELETE", "/rampart/access-keys/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void badCreateRequestsChangeNothing() throws Exception {
        int before = node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items().size();
        HttpResponse<String> missingName = node.send("POST", "/rampart/access-keys", "{}");
        assertThat(missingName.statusCode()).isEqualTo(400);
        assertThat(json(missingName).path("message").asText()).contains("'name'");
        assertThat(node.send("POST", "/rampart/access-keys", "{\"name\":\"x\",\"readOnly\":\"yes\"}").statusCode()).isEqualTo(400);
        assertThat(node.send("POST", "/rampart/access-keys", "{\"name\":\"bad\\u0000name\"}").statusCode()).isEqualTo(400);
        assertThat(node.accessKeys().list(io.rampart.common.Page.Request.first(250)).items()).hasSize(before);
    }
}
