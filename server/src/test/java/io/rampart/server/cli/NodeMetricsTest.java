package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.pki.Pem;
import io.rampart.pki.TlsContexts;
import io.rampart.server.GatewayOptions;
import io.rampart.server.Node;
import io.rampart.server.ObservabilityOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's Prometheus endpoint, scraped over real HTTPS after real MQTT traffic (HiveMQ client, mutual TLS) and AWS
 * SDK calls, parsed by a strict exposition-format parser: the meters exist under their documented names and move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeMetricsTest {
    /** A device may use things/<its name>/... and its own shadow topics, nothing else. */
    private static final String DEVICE_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": [
                "arn:aws:iot:*:*:topic/things/${iot:Connection.Thing.ThingName}/*",
                "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": [
                "arn:aws:iot:*:*:topicfilter/things/${iot:Connection.Thing.ThingName}/*",
                "arn:aws:iot:*:*:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]}
            ]}""";

    @TempDir
    static Path temp;

    private Path data;
    private Path devices;
    private Node node;
    private HttpClient https;

    @BeforeAll
    void startNode() throws Exception {
        data = temp.resolve("data");
        devices = temp.resolve("devices");
        node = TestNodes.start(data);
        X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
        https = HttpClient.newBuilder().sslContext(TlsContexts.client(List.of(ca))).build();
        Path policy = Files.writeString(temp.resolve("device.json"), DEVICE_POLICY);
        CliRun created = CliRun.against(data, "device", "create", "meter-1", "--policy", policy.toString(),
                "--out", devices.toString(), "--json");
        assertThat(created.exitCode()).as(created.err()).isZero();
    }

    @AfterAll
    void stopNode() {
        https.close();
        node.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.apiPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, PrometheusText.Family> scrape() throws Exception {
        HttpResponse<String> response = get("/rampart/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(response.body());
    }

    private static double value(Map<String, PrometheusText.Family> families, String family, String sample,
                                Map<String, String> labels) {
        assertThat(families).as("metric families").containsKey(family);
        return families.get(family).sample(sample, labels)
                .orElseThrow(() -> new AssertionError(sample + labels + " not in " + families.get(family).samples()))
                .value();
    }

    private static double value(Map<String, PrometheusText.Family> families, String name) {
        return value(families, name, name, Map.of());
    }

    /** Scrapes until {@code condition} holds: counters bound to connection events move when the event is delivered. */
    private Map<String, PrometheusText.Family> scrapeUntil(Predicate<Map<String, PrometheusText.Family>> condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, PrometheusText.Family> families = scrape();
        while (!condition.test(families) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            families = scrape();
        }
        return families;
    }

    @Test
    void mqttTrafficApiCallsAndShadowOperationsMoveTheirMeters() throws Exception {
        Map<String, PrometheusText.Family> before = scrape();
        double trailBefore = value(before, "rampart_trail_records_total");

        Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("meter-1").serverHost("localhost")
                .serverPort(node.mqttPort()).sslConfig(deviceTls("meter-1")).buildBlocking();
        device.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("things/meter-1/#").qos(MqttQos.AT_LEAST_ONCE).send();
            device.publishWith().topic("things/meter-1/reading").payload("42.5".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            Optional<Mqtt5Publish> echoed = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(echoed).isPresent();
            // Outside its namespace: PUBACK 0x87, one iot:Publish denial.
            assertThat(catchThrowableOfType(Mqtt5PubAckException.class, () -> device.publishWith().topic("things/other/x")
                    .payload(new byte[1]).qos(MqttQos.AT_LEAST_ONCE).send())).isNotNull();
            device.publishWith().topic("$aws/things/meter-1/shadow/update")
                    .payload("{\"state\":{\"reported\":{\"kWh\":7}}}".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).send();
        }
        try (NodeConnection connection = CliRun.connect(data)) {
            connection.iot().describeThing(b -> b.thingName("meter-1"));
        }

        Map<String, PrometheusText.Family> after = scrapeUntil(f ->
                value(f, "rampart_shadow_operations_total", "rampart_shadow_operations_total",
                        Map.of("operation", "update", "outcome", "accepted")) >= 1);
        assertThat(value(after, "rampart_shadow_operations_total", "rampart_shadow_operations_total",
                Map.of("operation", "update", "outcome", "accepted"))).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rampart_mqtt_connections")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rampart_mqtt_sessions")).isGreaterThanOrEqualTo(1);
        assertThat(after).containsKeys("rampart_mqtt_queued_messages", "rampart_mqtt_inflight_messages",
                "rampart_mqtt_authentication_failures_total", "rampart_mqtt_tls_handshake_failures_total");
        assertThat(value(after, "rampart_mqtt_connects_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rampart_mqtt_messages_received_total")).isGreaterThanOrEqualTo(2);
        assertThat(value(after, "rampart_mqtt_messages_sent_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rampart_mqtt_payload_bytes_received_total")).isGreaterThanOrEqualTo(4);
        assertThat(value(after, "rampart_mqtt_payload_bytes_sent_total")).isGreaterThanOrEqualTo(4);
        assertThat(value(after, "rampart_mqtt_authorization_denials_total", "rampart_mqtt_authorization_denials_total",
                Map.of("action", "iot:Publish"))).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rampart_mqtt_authorization_denials_total", "rampart_mqtt_authorization_denials_total",
                Map.of("action", "iot:Subscribe"))).isZero();

        PrometheusText.Family decisions = after.get("rampart_policy_decision_seconds");
        assertThat(decisions.type()).isEqualTo("histogram");
        assertThat(value(after, "rampart_policy_decision_seconds", "rampart_policy_decision_seconds_count",
                Map.of("action", "iot:Publish", "decision", "implicit_deny"))).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rampart_policy_decision_seconds", "rampart_policy_decision_seconds_count",
                Map.of("action", "iot:Connect", "decision", "allowed"))).isGreaterThanOrEqualTo(1);

        assertThat(value(after, "rampart_api_requests_seconds", "rampart_api_requests_seconds_count",
                Map.of("operation", "DescribeThing", "status", "200"))).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rampart_trail_records_total")).isGreaterThan(trailBefore);
        assertThat(after).containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");

        device.disconnect();
        Map<String, PrometheusText.Family> disconnected = scrapeUntil(f -> value(f, "rampart_mqtt_disconnects_total") >= 1);
        assertThat(value(disconnected, "rampart_mqtt_disconnects_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void metricsOffServesNoMetricsRoute(@TempDir Path otherData) throws Exception {
        try (Node quiet = Node.start(TestNodes.config(otherData), GatewayOptions.defaults(), new ObservabilityOptions(false),
                Map.of(), Clock.systemUTC(), new SecureRandom())) {
            X509Certificate ca = Pem.parseCertificate(Files.readString(otherData.resolve("ca.pem")));
            try (HttpClient client = HttpClient.newBuilder().sslContext(TlsContexts.client(List.of(ca))).build()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + quiet.apiPort() + "/rampart/metrics")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                // An unknown path is authenticated like any other, so an unsigned caller learns nothing.
                assertThat(response.statusCode()).isEqualTo(403);
                assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
            }
        }
    }

    private MqttClientSslConfig deviceTls(String name) throws Exception {
        X509Certificate certificate = Pem.parseCertificate(Files.readString(devices.resolve(name + ".cert.pem")));
        PrivateKey key = Pem.parsePrivateKey(Files.readString(devices.resolve(name + ".private.key")));
        X509Certificate trusted = Pem.parseCertificate(Files.readString(devices.resolve("ca.pem")));
        char[] password = "test".toCharArray();
        KeyStore keys = TlsContexts.keyStore(List.of(certificate), key, password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(trusted)));
        return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
    }
}

