package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.IssuedCredentials;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.Pem;
import io.rampart.pki.TlsContexts;
import io.rampart.server.GatewayOptions;
import io.rampart.server.Node;
import io.rampart.server.gateway.SecurityTrailPolicy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/**
 * The gateway's security events in the activity trail, end to end: real devices with certificates from the node's
 * PKI (or none, or a foreign CA's) are refused and appear with the right reason, certificate and source; floods of
 * denials are aggregated and capped; the trail still verifies afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewaySecurityTrailTest {
    /** Any client id may connect; only allowed/... may be published to. */
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/*"},
              {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/allowed/*"}
            ]}""";
    private static final String TOPIC_ARN = "arn:aws:iot:us-east-1:000000000000:topic/";
    /** Short enough for the test to see windows close; the budget small enough for a flood to exceed it. */
    private static final SecurityTrailPolicy TRAIL_POLICY = new SecurityTrailPolicy(Duration.ofSeconds(3), 200);

    @TempDir
    static Path temp;

    private Path data;
    private Path devices;
    private Path policyFile;
    private Node node;
    private X509Certificate nodeCa;

    @BeforeAll
    void startNode() throws Exception {
        data = temp.resolve("data");
        devices = temp.resolve("devices");
        node = Node.start(TestNodes.config(data), GatewayOptions.defaults().withSecurityTrail(TRAIL_POLICY), Map.of(),
                Clock.systemUTC(), new SecureRandom());
        policyFile = Files.writeString(temp.resolve("sec.json"), POLICY);
        nodeCa = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    private String createDevice(String name) {
        CliRun created = CliRun.against(data, "device", "create", name, "--policy", policyFile.toString(),
                "--out", devices.toString(), "--json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        return created.json().get("certificateId").asText();
    }

    private MqttClientSslConfig deviceTls(String name) throws Exception {
        X509Certificate certificate = Pem.parseCertificate(Files.readString(devices.resolve(name + ".cert.pem")));
        PrivateKey key = Pem.parsePrivateKey(Files.readString(devices.resolve(name + ".private.key")));
        return tls(certificate, key);
    }

    /** Trusts the node's CA; presents {@code certificate} when it is not null. */
    private MqttClientSslConfig tls(X509Certificate certificate, PrivateKey key) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(nodeCa)));
        var builder = MqttClientSslConfig.builder().trustManagerFactory(tmf);
        if (certificate != null) {
            char[] password = "test".toCharArray();
            KeyStore keys = TlsContexts.keyStore(List.of(certificate), key, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            builder.keyManagerFactory(kmf);
        }
        return builder.build();
    }

    private Mqtt5BlockingClient client(String clientId, MqttClientSslConfig tls) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(node.mqttPort())
                .sslConfig(tls).buildBlocking();
    }

    /** LookupEvents through the API, every page: the gateway's events matching {@code filters}. */
    private List<JsonNode> lookup(Map<String, String> filters) {
        List<JsonNode> events = new ArrayList<>();
        try (NodeConnection connection = CliRun.connect(data)) {
            String token = null;
            do {
                StringBuilder path = new StringBuilder("/rampart/trail/events?maxResults=250&eventSource=rampart.gateway");
                filters.forEach((name, value) -> path.append('&').append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
                if (token != null) {
                    path.append("&nextToken=").append(token);
                }
                JsonNode page = connection.call("GET", path.toString(), null);
                page.path("events").forEach(events::add);
                token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            } while (token != null);
        }
        return events;
    }

    /** Polls LookupEvents (at most 20 s) until {@code done} holds for the events matching {@code filters}. */
    private List<JsonNode> awaitEvents(Map<String, String> filters, Predicate<List<JsonNode>> done) throws InterruptedException {
        List<JsonNode> events = lookup(filters);
        for (int i = 0; i < 80 && !done.test(events); i++) {
            Thread.sleep(250);
            events = lookup(filters);
        }
        assertThat(done).as("trail events for %s: %s", filters, events).accepts(events);
        return events;
    }

    private static long totalCount(List<JsonNode> events) {
        return events.stream().mapToLong(e -> e.path("requestParameters").path("count").asLong()).sum();
    }

    private static Map<String, String> filters(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    @Order(1)
    void aRevokedCertificateTryingToConnectIsRecordedWithItsCertificateAndSource() throws Exception {
        String certificateId = createDevice("sec-revoked");
        try (NodeConnection connection = CliRun.connect(data)) {
            connection.iot().updateCertificate(r -> r.certificateId(certificateId).newStatus(CertificateStatus.REVOKED));
        }
        assertThatThrownBy(() -> client("sec-revoked", deviceTls("sec-revoked")).connect()).isInstanceOf(RuntimeException.class);

        JsonNode event = awaitEvents(filters("eventName", "AuthenticationFailure", "principal", certificateId),
                events -> !events.isEmpty()).getFirst();
        assertThat(event.path("eventSource").asText()).isEqualTo("rampart.gateway");
        assertThat(event.path("errorCode").asText()).isEqualTo("CERTIFICATE_REVOKED");
        assertThat(event.path("status").asInt()).isEqualTo(401);
        assertThat(event.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(event.path("resources")).extracting(JsonNode::asText).containsExactly(certificateId);
        assertThat(event.path("requestParameters").path("reason").asText()).isEqualTo("CERTIFICATE_REVOKED");
        assertThat(event.path("requestParameters").path("count").asLong()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void anInactiveCertificateIsRecordedAsInactive() throws Exception {
        String certificateId = createDevice("sec-inactive");
        CliRun deactivated = CliRun.against(data, "cert", "deactivate", certificateId);
        assertThat(deactivated.exitCode()).as(deactivated.err()).isZero();
        assertThatThrownBy(() -> client("sec-inactive", deviceTls("sec-inactive")).connect()).isInstanceOf(RuntimeException.class);

        JsonNode event = awaitEvents(filters("eventName", "AuthenticationFailure", "principal", certificateId),
                events -> !events.isEmpty()).getFirst();
        assertThat(event.path("errorCode").asText()).isEqualTo("CERTIFICATE_INACTIVE");
        assertThat(event.path("sourceIp").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    @Order(3)
    void aForeignCasCertificateIsRecordedAsUnknownWithItsIssuer() throws Exception {
        CertificateAuthority foreign = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Foreign CA", Clock.systemUTC(),
                new SecureRandom());
        IssuedCredentials stranger = foreign.createKeysAndCertificate(KeyAlgorithm.EC_P256);
        String certificateId = stranger.certificateId().value();
        assertThatThrownBy(() -> client("stranger", tls(stranger.certificate(), stranger.keyPair().getPrivate())).connect())
                .isInstanceOf(RuntimeException.class);

        JsonNode event = awaitEvents(filters("principal", certificateId), events -> !events.isEmpty()).getFirst();
        assertThat(event.path("eventName").asText()).isEqualTo("AuthenticationFailure");
        assertThat(event.path("errorCode").asText()).isEqualTo("UNKNOWN_CERTIFICATE");
        assertThat(event.path("requestParameters").path("issuer").asText()).contains("CN=Foreign CA");
        assertThat(event.path("sourceIp").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    @Order(4)
    void aClientWithoutCertificateIsRecordedBySourceIp() throws Exception {
        assertThatThrownBy(() -> client("anonymous", tls(null, null)).connect()).isInstanceOf(RuntimeException.class);

        List<JsonNode> events = awaitEvents(filters("eventName", "AuthenticationFailure", "sourceIp", "127.0.0.1"),
                found -> found.stream().anyMatch(e -> e.path("errorCode").asText().equals("NO_CLIENT_CERTIFICATE")));
        JsonNode event = events.stream().filter(e -> e.path("errorCode").asText().equals("NO_CLIENT_CERTIFICATE"))
                .findFirst().orElseThrow();
        assertThat(event.path("principal").isNull()).as("no certificate, no principal: %s", event).isTrue();
    }

    @Test
    @Order(5)
    void aSessionTakeoverIsRecordedWithBothConnections() throws Exception {
        String first = createDevice("sec-twin-a");
        String second = createDevice("sec-twin-b");
        Mqtt5BlockingClient old = client("sec-twin", deviceTls("sec-twin-a"));
        old.connect();
        Thread.sleep(1_100); // AWS's default of one CONNECT per second per client id applies to the node
        Mqtt5BlockingClient next = client("sec-twin", deviceTls("sec-twin-b"));
        next.connect();

        JsonNode event = awaitEvents(filters("eventName", "SessionTakeover", "resource", "sec-twin"),
                events -> !events.isEmpty()).getFirst();
        assertThat(event.path("principal").asText()).isEqualTo(second);
        assertThat(event.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        JsonNode params = event.path("requestParameters");
        assertThat(params.path("clientId").asText()).isEqualTo("sec-twin");
        assertThat(params.path("previousPrincipal").asText()).isEqualTo(first);
        assertThat(params.path("previousSourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(params.path("sessionId").asText()).isNotEmpty().isNotEqualTo(params.path("previousSessionId").asText());
        next.disconnect();
    }

    /**
     * {@code clients} connections with one certificate, each publishing {@code perClient} QoS 1 messages; returns how
     * many trail windows the publishing spanned (at least 1), which bounds how many records aggregation may write.
     */
    private long burst(String device, int clients, int perClient, java.util.function.BiFunction<Integer, Integer, String> topic)
            throws Exception {
        List<Mqtt5BlockingClient> connected = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            // Each connection sends at most 100 PUBLISH, AWS's per-connection rate per second.
            Mqtt5BlockingClient client = client(device + "-" + c, deviceTls(device));
            client.connect();
            connected.add(client);
        }
        long started = System.nanoTime();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            for (int i = 0; i < perClient; i++) {
                acks.add(connected.get(c).toAsync().publishWith().topic(topic.apply(c, i)).payload(new byte[] {1})
                        .qos(MqttQos.AT_LEAST_ONCE).send().handle((result, failure) -> failure));
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(acks).allSatisfy(ack -> assertThat(ack.join()).as("a denied publish's PUBACK").isNotNull());
        connected.forEach(Mqtt5BlockingClient::disconnect);
        return took.toMillis() / TRAIL_POLICY.window().toMillis() + 1;
    }

    private long trailBytes() throws Exception {
        try (Stream<Path> files = Files.list(data.resolve(Node.TRAIL_DIRECTORY))) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    @Order(6)
    void aThousandDeniedPublishesBecomeAFewRecordsCarryingTheCount() throws Exception {
        String certificateId = createDevice("sec-flood");
        long before = trailBytes();
        long windows = burst("sec-flood", 10, 100, (c, i) -> "forbidden/x");

        List<JsonNode> records = awaitEvents(filters("eventName", "AuthorizationFailure", "principal", certificateId),
                events -> totalCount(events) >= 1000);
        assertThat(totalCount(records)).isEqualTo(1000);
        // The first denial at once, then one record per 3 s window while the burst lasts (on a loaded machine it
        // may span more than one).
        assertThat(records).hasSizeLessThanOrEqualTo((int) windows + 2).allSatisfy(e -> {
            assertThat(e.path("resources")).extracting(JsonNode::asText).containsExactly(TOPIC_ARN + "forbidden/x");
            assertThat(e.path("requestParameters").path("action").asText()).isEqualTo("iot:Publish");
            assertThat(e.path("errorCode").asText()).isEqualTo("AccessDenied");
            assertThat(e.path("status").asInt()).isEqualTo(403);
            assertThat(e.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        });
        JsonNode aggregated = records.stream().filter(e -> e.path("requestParameters").path("count").asLong() > 1)
                .findFirst().orElseThrow();
        assertThat(aggregated.path("requestParameters").path("firstTime").asText())
                .isLessThanOrEqualTo(aggregated.path("requestParameters").path("lastTime").asText());
        // A thousand single records would be about half a megabyte.
        long grown = trailBytes() - before;
        assertThat(grown).isLessThan(50_000);
        // A measured figure for the report, not an assertion on speed.
        System.out.printf("security trail: 1000 denied publishes -> %d records, trail grew %d bytes%n", records.size(), grown);
    }

    @Test
    @Order(7)
    void aFloodOfDistinctDenialsIsCappedAndWhatWasDroppedIsRecorded() throws Exception {
        Thread.sleep(TRAIL_POLICY.window().toMillis()); // a fresh budget window, whatever the earlier tests spent
        String certificateId = createDevice("sec-spray");
        long windows = burst("sec-spray", 10, 100, (c, i) -> "forbidden/" + c + "/" + i);

        // Every denial ends up either in a record's count or in a drop report (reports come once per window).
        long accounted = 0;
        long droppedDenials = 0;
        List<JsonNode> recorded = List.of();
        for (int i = 0; i < 80 && accounted < 1000; i++) {
            Thread.sleep(250);
            droppedDenials = lookup(filters("eventName", "SecurityEventsDropped")).stream()
                    .mapToLong(e -> e.path("requestParameters").path("dropped").path("AuthorizationFailure").asLong()).sum();
            recorded = lookup(filters("eventName", "AuthorizationFailure", "principal", certificateId));
            accounted = totalCount(recorded) + droppedDenials;
        }
        assertThat(accounted).as("denials recorded or reported as dropped").isEqualTo(1000);
        assertThat(droppedDenials).isPositive();
        // At most one budget per window the flood spanned (a window may start mid-flood: one more).
        assertThat((long) recorded.size()).isLessThanOrEqualTo((windows + 1) * TRAIL_POLICY.maxRecordsPerWindow());
        System.out.printf("security trail: 1000 distinct denials -> %d records, %d reported as dropped%n",
                recorded.size(), droppedDenials);
    }

    @Test
    @Order(8)
    void theCliFiltersByEventSourceAndTheTrailStillVerifies() {
        CliRun lookup = CliRun.against(data, "trail", "lookup", "--event-source", "rampart.gateway",
                "--event-name", "SessionTakeover", "--json");
        assertThat(lookup.exitCode()).as(lookup.err()).isZero();
        assertThat(lookup.json().path("events")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("eventSource").asText()).isEqualTo("rampart.gateway"));

        node.close();
        CliRun verify = CliRun.run("trail", "verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }
}
