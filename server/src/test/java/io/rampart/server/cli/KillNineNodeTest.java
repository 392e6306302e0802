package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.rampart.common.Json;
import io.rampart.pki.Pem;
import io.rampart.pki.TlsContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway acknowledged survives {@code kill -9} of the node: a real server JVM (forked from this test's
 * class path) is SIGKILLed right after the last PUBACK/PUBCOMP, a new JVM starts on the same data directory, and the
 * persistent subscribers get every acknowledged message, in order, and the retained message is still there.
 */
class KillNineNodeTest {
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive", "iot:RetainPublish"], "Resource": "arn:aws:iot:*:*:topic/durable/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/durable/*"}
            ]}""";
    /** QoS 1 publishers, each below the gateway's 100 PUBLISH/s per connection, all in flight together. */
    private static final int QOS1_PUBLISHERS = 4;
    private static final int QOS1_PER_PUBLISHER = 90;
    private static final int QOS1_MESSAGES = QOS1_PUBLISHERS * QOS1_PER_PUBLISHER;
    private static final int QOS2_MESSAGES = 50;

    @TempDir
    Path temp;

    private Path data;
    private Path devices;

    @Test
    void everyAcknowledgedMessageReachesItsPersistentSubscribersAfterKillDashNine() throws Exception {
        data = temp.resolve("data");
        devices = temp.resolve("devices");
        Process first = startNode("first");
        List<String> qos1 = new ArrayList<>();
        List<String> qos2 = new ArrayList<>();
        try {
            Path policy = Files.writeString(temp.resolve("policy.json"), POLICY);
            List<String> names = new ArrayList<>(List.of("sub-v5", "sub-v3", "publisher", "newcomer"));
            for (int p = 0; p < QOS1_PUBLISHERS; p++) {
                names.add("pub-" + p);
            }
            for (String name : names) {
                CliRun created = CliRun.against(data, "device", "create", name, "--policy", policy.toString(),
                        "--out", devices.toString(), "--json");
                assertThat(created.exitCode()).as(created.err()).isZero();
            }

            // Two persistent sessions: MQTT 5 (session expiry 1 h) at QoS 1 and MQTT 3.1.1 (cleanSession=0) at QoS 2.
            Mqtt5BlockingClient v5 = v5("sub-v5");
            v5.connectWith().cleanStart(true).sessionExpiryInterval(3_600).send();
            v5.subscribeWith().topicFilter("durable/qos1").qos(MqttQos.AT_LEAST_ONCE).send();
            v5.disconnect();
            Mqtt3BlockingClient v3 = v3("sub-v3");
            v3.connectWith().cleanSession(false).send();
            v3.subscribeWith().topicFilter("durable/qos2").qos(MqttQos.EXACTLY_ONCE).send();
            v3.disconnect();

            Mqtt5BlockingClient publisher = v5("publisher");
            publisher.connect();
            for (int i = 0; i < QOS2_MESSAGES; i++) {
                String payload = "qos2-" + i;
                // Returns after PUBCOMP.
                publisher.publishWith().topic("durable/qos2").payload(bytes(payload)).qos(MqttQos.EXACTLY_ONCE).send();
                qos2.add(payload);
            }
            publisher.publishWith().topic("durable/state").payload(bytes("retained-state")).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).send();
            publisher.disconnect();
            // QoS 1 pipelined from several publishers at once (up to the receive maximum in flight each), so the
            // committer is busy with them until the last PUBACK.
            List<Mqtt5AsyncClient> publishers = new ArrayList<>();
            for (int p = 0; p < QOS1_PUBLISHERS; p++) {
                Mqtt5BlockingClient client = v5("pub-" + p);
                client.connect();
                publishers.add(client.toAsync());
            }
            List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
            for (int i = 0; i < QOS1_PER_PUBLISHER; i++) {
                for (int p = 0; p < QOS1_PUBLISHERS; p++) {
                    String payload = "qos1-" + p + "-" + i;
                    acks.add(publishers.get(p).publishWith().topic("durable/qos1").payload(bytes(payload))
                            .qos(MqttQos.AT_LEAST_ONCE).send());
                    qos1.add(payload);
                }
            }
            for (CompletableFuture<Mqtt5PublishResult> ack : acks) {
                Mqtt5PublishResult result = ack.get(60, TimeUnit.SECONDS);
                assertThat(result.getError()).isEmpty();
            }
            // The last PUBACK is in: SIGKILL now (no shutdown hook, no committer drain, no pool close).
            first.toHandle().destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        } finally {
            first.destroyForcibly();
        }

        Files.delete(data.resolve("endpoint.json"));
        Process second = startNode("second");
        try {
            Mqtt5BlockingClient v5 = v5("sub-v5");
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = v5.publishes(MqttGlobalPublishFilter.ALL)) {
                boolean present = v5.connectWith().cleanStart(false).sessionExpiryInterval(3_600).send().isSessionPresent();
                assertThat(present).as("the MQTT 5 session survived").isTrue();
                List<String> received = new ArrayList<>();
                for (int i = 0; i < QOS1_MESSAGES; i++) {
                    Optional<Mqtt5Publish> next = inbox.receive(20, TimeUnit.SECONDS);
                    if (next.isEmpty()) {
                        break;
                    }
                    received.add(text(next.get().getPayloadAsBytes()));
                }
                // Nothing acknowledged is missing, nothing is there twice, and each publisher's messages keep their
                // order (MQTT 4.6: per publisher and topic).
                assertThat(received).containsExactlyInAnyOrderElementsOf(qos1);
                for (int p = 0; p < QOS1_PUBLISHERS; p++) {
                    String mark = "qos1-" + p + "-";
                    assertThat(received.stream().filter(m -> m.startsWith(mark)).toList())
                            .containsExactlyElementsOf(qos1.stream().filter(m -> m.startsWith(mark)).toList());
                }
            }
            v5.disconnect();

            Mqtt3BlockingClient v3 = v3("sub-v3");
            try (Mqtt3BlockingClient.Mqtt3Publishes inbox = v3.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(v3.connectWith().cleanSession(false).send().isSessionPresent()).as("the MQTT 3.1.1 session survived").isTrue();
                List<String> received = new ArrayList<>();
                for (int i = 0; i < QOS2_MESSAGES; i++) {
                    Optional<Mqtt3Publish> next = inbox.receive(20, TimeUnit.SECONDS);
                    if (next.isEmpty()) {
                        break;
                    }
                    assertThat(next.get().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
                    received.add(text(next.get().getPayloadAsBytes()));
                }
                assertThat(received).containsExactlyElementsOf(qos2);
                assertThat(inbox.receive(1, TimeUnit.SECONDS)).as("no QoS 2 message twice").isEmpty();
            }
            v3.disconnect();

            Mqtt5BlockingClient newcomer = v5("newcomer");
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = newcomer.publishes(MqttGlobalPublishFilter.ALL)) {
                newcomer.connect();
                newcomer.subscribeWith().topicFilter("durable/state").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5Publish retained = inbox.receive(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no retained message"));
                assertThat(text(retained.getPayloadAsBytes())).isEqualTo("retained-state");
                assertThat(retained.isRetain()).isTrue();
            }
            newcomer.disconnect();
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    /** A node in its own JVM on this test's class path, as {@code rampart server} runs it; waits for endpoint.json. */
    private Process startNode(String name) throws Exception {
        Path log = temp.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.rampart.server.Main", "server",
                "--data", data.toString(), "--api-port", "0", "--mqtt-port", "0", "--bind", "127.0.0.1", "--host", "localhost")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("RAMPART_KEY_SECRET");
        Process process = builder.start();
        Path endpoint = data.resolve("endpoint.json");
        // A readiness wait, not a speed assertion: the node writes endpoint.json once it listens.
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        while (!Files.exists(endpoint) && process.isAlive() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(100);
        }
        assertThat(endpoint).as(read(log)).exists();
        return process;
    }

    private JsonNode endpoint() throws IOException {
        return Json.newMapper().readTree(Files.readString(data.resolve("endpoint.json")));
    }

    private Mqtt5BlockingClient v5(String name) throws Exception {
        return Mqtt5Client.builder().identifier(name).serverHost("localhost").serverPort(endpoint().get("mqttPort").asInt())
                .sslConfig(tls(name)).buildBlocking();
    }

    private Mqtt3BlockingClient v3(String name) throws Exception {
        return Mqtt3Client.builder().identifier(name).serverHost("localhost").serverPort(endpoint().get("mqttPort").asInt())
                .sslConfig(tls(name)).buildBlocking();
    }

    /** TLS from the files {@code rampart device create} wrote. */
    private MqttClientSslConfig tls(String name) throws Exception {
        X509Certificate certificate = Pem.parseCertificate(Files.readString(devices.resolve(name + ".cert.pem")));
        PrivateKey key = Pem.parsePrivateKey(Files.readString(devices.resolve(name + ".private.key")));
        X509Certificate ca = Pem.parseCertificate(Files.readString(devices.resolve("ca.pem")));
        char[] password = "test".toCharArray();
        KeyStore keys = TlsContexts.keyStore(List.of(certificate), key, password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(ca)));
        return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
