package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.sun.net.httpserver.HttpServer;
import io.rampart.common.Json;
import io.rampart.pki.Pem;
import io.rampart.pki.TlsContexts;
import io.rampart.server.AuditPublishing;
import io.rampart.server.GatewayOptions;
import io.rampart.server.Node;
import io.rampart.server.ObservabilityOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AuditCheckConfiguration;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.PolicyVersionIdentifier;
import software.amazon.awssdk.services.iot.model.ResourceIdentifier;

/**
 * A completed audit's new findings reach a device subscribed to the findings topic over mutual TLS and an operator's
 * webhook (a real HTTP server that refuses the first attempt); a suppressed finding reaches neither.
 */
class AuditPublishingEndToEndTest {
    static final String TOPIC = AuditPublishing.DEFAULT_FINDINGS_TOPIC;
    static final String CHECK = "IOT_POLICY_OVERLY_PERMISSIVE_CHECK";
    /** The watcher may read the findings and summaries, nothing else: not itself a finding. */
    static final String WATCHER = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/watcher"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": [
                "arn:aws:iot:us-east-1:000000000000:topicfilter/%1$s",
                "arn:aws:iot:us-east-1:000000000000:topicfilter/%1$s/summary"]},
              {"Effect": "Allow", "Action": "iot:Receive", "Resource": [
                "arn:aws:iot:us-east-1:000000000000:topic/%1$s",
                "arn:aws:iot:us-east-1:000000000000:topic/%1$s/summary"]}
            ]}""".formatted(TOPIC);

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void newFindingsArePublishedToTheTopicAndPostedToTheWebhookWithARetryButSuppressedOnesAreNot() throws Exception {
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger attempts = new AtomicInteger();
        BlockingQueue<JsonNode> posted = new LinkedBlockingQueue<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        hook.createContext("/audit", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                if (attempts.incrementAndGet() == 1) {
                    exchange.sendResponseHeaders(503, -1); // the receiver is briefly down: the node retries
                    return;
                }
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                posted.add(mapper.readTree(bytes));
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        hook.start();
        Path data = temp.resolve("data");
        URI webhook = URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/audit?token=secret");
        Node node = Node.start(TestNodes.config(data), GatewayOptions.defaults(), new ObservabilityOptions(false),
                new AuditPublishing(AuditPublishing.parseTopic(TOPIC), Optional.of(webhook)), Map.of(),
                Clock.systemUTC(), new SecureRandom());
        List<JsonNode> published = new ArrayList<>();
        try (NodeConnection connection = CliRun.connect(data)) {
            IotClient iot = connection.iot();
            iot.updateAccountAuditConfiguration(r -> r.auditCheckConfigurations(
                    Map.of(CHECK, AuditCheckConfiguration.builder().enabled(true).build())));
            iot.createPolicy(r -> r.policyName("wide-open").policyDocument(DefenderEndToEndTest.WIDE_OPEN));
            iot.createPolicy(r -> r.policyName("known-wide-open").policyDocument(DefenderEndToEndTest.WIDE_OPEN));
            iot.createAuditSuppression(r -> r.checkName(CHECK).suppressIndefinitely(true).clientRequestToken("t1")
                    .resourceIdentifier(ResourceIdentifier.builder().policyVersionIdentifier(PolicyVersionIdentifier
                            .builder().policyName("known-wide-open").policyVersionId("1").build()).build()));
            iot.createPolicy(r -> r.policyName("watcher").policyDocument(WATCHER));
            CreateKeysAndCertificateResponse watcher = iot.createKeysAndCertificate(r -> r.setAsActive(true));
            iot.attachPolicy(r -> r.policyName("watcher").target(watcher.certificateArn()));

            BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("watcher").serverHost("localhost")
                    .serverPort(node.mqttPort()).sslConfig(tls(data, watcher)).buildAsync();
            client.connect().get(10, TimeUnit.SECONDS);
            for (String filter : List.of(TOPIC, TOPIC + "/summary")) {
                client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).callback(received::add).send()
                        .get(10, TimeUnit.SECONDS);
            }

            String taskId = iot.startOnDemandAuditTask(r -> r.targetCheckNames(CHECK)).taskId();

            // Findings are published before the summary, on the same connection: all are in once the summary is.
            Mqtt5Publish message;
            while ((message = received.poll(20, TimeUnit.SECONDS)) != null) {
                assertThat(message.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
                if (message.getTopic().toString().equals(TOPIC + "/summary")) {
                    JsonNode summary = mapper.readTree(message.getPayloadAsBytes());
                    assertThat(summary.path("taskId").asText()).isEqualTo(taskId);
                    assertThat(summary.path("taskStatus").asText()).isEqualTo("COMPLETED");
                    JsonNode counts = summary.path("auditDetails").path(CHECK);
                    assertThat(counts.path("nonCompliantResourcesCount").asInt()).isEqualTo(2);
                    assertThat(counts.path("suppressedNonCompliantResourcesCount").asInt()).isEqualTo(1);
                    assertThat(summary.path("publishedFindings").asInt()).isEqualTo(1);
                    break;
                }
                published.add(mapper.readTree(message.getPayloadAsBytes()));
            }
            assertThat(message).as("no summary within 20 s").isNotNull();
            assertThat(published).hasSize(1);
            assertFinding(published.getFirst(), taskId);

            JsonNode delivered = posted.poll(20, TimeUnit.SECONDS);
            assertThat(delivered).as("nothing POSTed within 20 s").isNotNull();
            assertFinding(delivered, taskId);
            assertThat(delivered.path("findingId").asText()).isEqualTo(published.getFirst().path("findingId").asText());
            assertThat(contentTypes).containsExactly("application/json");
            assertThat(attempts.get()).isEqualTo(2);
            client.disconnect().get(10, TimeUnit.SECONDS);
        } finally {
            node.close(); // lets pending webhook deliveries finish
            hook.stop(0);
        }
        assertThat(posted).as("the suppressed finding was POSTed").isEmpty();
    }

    private static void assertFinding(JsonNode finding, String taskId) {
        assertThat(finding.path("taskId").asText()).isEqualTo(taskId);
        assertThat(finding.path("checkName").asText()).isEqualTo(CHECK);
        assertThat(finding.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(finding.path("isSuppressed").asBoolean(true)).isFalse();
        JsonNode policy = finding.path("nonCompliantResource").path("resourceIdentifier").path("policyVersionIdentifier");
        assertThat(policy.path("policyName").asText()).isEqualTo("wide-open");
        assertThat(policy.path("policyVersionId").asText()).isEqualTo("1");
        assertThat(finding.path("nonCompliantResource").path("resourceType").asText()).isEqualTo("IOT_POLICY");
    }

    private static MqttClientSslConfig tls(Path data, CreateKeysAndCertificateResponse credentials) throws Exception {
        X509Certificate certificate = Pem.parseCertificate(credentials.certificatePem());
        PrivateKey key = Pem.parsePrivateKey(credentials.keyPair().privateKey());
        X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
        char[] password = "test".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TlsContexts.keyStore(List.of(certificate), key, password), password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(ca)));
        return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
    }
}
