package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import io.rampart.common.Page;
import io.rampart.pki.Pem;
import io.rampart.trail.Redaction;
import io.rampart.trail.TrailConfig;
import io.rampart.trail.TrailQuery;
import io.rampart.trail.TrailRecord;
import io.rampart.trail.TrailVerifier;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/** Every API call lands in the trail once, with who/what/where/outcome, and never with a secret. */
class TrailRecordingTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static TrailRecord only(String eventName, String resource) {
        List<TrailRecord> items = node.trail().lookup(new TrailQuery(null, null, eventName, null, resource, null, null),
                Page.Request.first(10)).items();
        assertThat(items).hasSize(1);
        return items.getFirst();
    }

    @Test
    void sdkCallsAreRecordedWithTheirFields() {
        node.admin().createThing(b -> b.thingName("trail-thing").attributePayload(a -> a.attributes(Map.of("color", "red"))));
        TrailRecord record = only("CreateThing", "trail-thing");
        var e = record.event();
        assertThat(e.principal()).isEqualTo(node.adminKey().key().accessKeyId());
        assertThat(e.sourceIp()).isEqualTo("127.0.0.1");
        assertThat(e.userAgent()).contains("aws-sdk-java");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.errorCode()).isNull();
        assertThat(e.requestId()).isNotBlank();
        assertThat(e.requestParameters().path("thingName").asText()).isEqualTo("trail-thing");
        assertThat(e.requestParameters().path("body").path("attributePayload").path("attributes").path("color").asText()).isEqualTo("red");
    }

    @Test
    void failedCallsAreRecordedWithTheirErrorCode() {
        assertThatThrownBy(() -> node.readOnly().describeThing(b -> b.thingName("trail-missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        var e = only("DescribeThing", "trail-missing").event();
        assertThat(e.principal()).isEqualTo(node.readOnlyKey().key().accessKeyId());
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void thePrivateKeyOfCreateKeysAndCertificateIsNeverWritten() throws Exception {
        CreateKeysAndCertificateResponse created = node.admin().createKeysAndCertificate(b -> b.setAsActive(true));
        node.trail().digest();
        String privateKey = created.keyPair().privateKey();
        String keyBody = privateKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        byte[] secret = node.adminKey().secretAccessKey().getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(node.trailDirectory())) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                assertThat(text).as(file.toString()).doesNotContain(keyBody).doesNotContain("PRIVATE KEY")
                        .doesNotContain(new String(secret, StandardCharsets.UTF_8));
            }
        }
        assertThat(node.trail().lookup(new TrailQuery(null, null, "CreateKeysAndCertificate", null, null, null, null),
                Page.Request.first(5)).items()).isNotEmpty();
    }

    @Test
    void secretFieldsInRequestBodiesAreRedacted() throws Exception {
        // A body member named like a secret never reaches the disk, whatever the route does with it.
        HttpResponse<String> response = node.send("POST", "/things/trail-redact", "{\"attributePayload\":{\"attributes\":{}},\"dbPassword\":\"hunter2\"}");
        assertThat(response.statusCode()).isIn(200, 400);
        var e = only("CreateThing", "trail-redact").event();
        assertThat(e.requestParameters().path("body").path("dbPassword").asText()).isEqualTo(Redaction.REDACTED);
        try (Stream<Path> files = Files.list(node.trailDirectory())) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).doesNotContain("hunter2");
            }
        }
    }

    @Test
    void lookupEventsIsServedToReadOnlyKeysAndPages() throws Exception {
        for (int i = 0; i < 3; i++) {
            node.admin().createThing(b -> b.thingName("trail-page-" + System.nanoTime()));
        }
        var signer = TestSigner.forKey(node.readOnlyKey());
        HttpResponse<String> first = node.send(signer.sign("GET",
                node.endpoint().resolve("/rampart/trail/events?eventName=CreateThing&maxResults=2"), "", Map.of()));
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode page = Json.newMapper().readTree(first.body());
        assertThat(page.path("events")).hasSize(2);
        assertThat(page.path("events").get(0).path("eventName").asText()).isEqualTo("CreateThing");
        String token = page.path("nextToken").asText();
        HttpResponse<String> second = node.send(signer.sign("GET",
                node.endpoint().resolve("/rampart/trail/events?eventName=CreateThing&maxResults=2&nextToken=" + token), "", Map.of()));
        JsonNode next = Json.newMapper().readTree(second.body());
        assertThat(next.path("events").get(0).path("sequenceNumber").asLong())
                .isLessThan(page.path("events").get(1).path("sequenceNumber").asLong());
    }

    @Test
    void lookupEventsRejectsABadTime() throws Exception {
        HttpResponse<String> response = node.send("GET", "/rampart/trail/events?startTime=yesterday", "");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("startTime");
    }

    @Test
    void theRecordedTrailVerifies() throws Exception {
        node.admin().listThings(b -> b.maxResults(5));
        node.trail().digest();
        var key = Pem.parsePublicKey(Files.readString(node.trailDirectory().resolve(TrailConfig.PUBLIC_KEY_FILE)));
        assertThat(TrailVerifier.verify(node.trailDirectory(), key, null, null).problems()).isEmpty();
    }
}
