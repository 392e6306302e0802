package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.common.Json;
import io.rampart.pki.Pem;
import io.rampart.pki.TlsContexts;
import io.rampart.server.Node;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;

/**
 * The node serves the Device Shadow service on both of its doors: an operator's iot-data call through the AWS SDK
 * reaches the device over MQTT as a delta, and what the device reports over MQTT is what the operator reads back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeShadowTest {
    /** Each thing may use only its own shadow topics. */
    private static final String SHADOW_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": "arn:aws:iot:*:*:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"}
            ]}""";

    private final ObjectMapper json = Json.newMapper();

    @TempDir
    static Path temp;

    private Path data;
    private Path devices;
    private Node node;
    private IotDataPlaneClient dataPlane;

    @BeforeAll
    void startNode() throws Exception {
        data = temp.resolve("data");
        devices = temp.resolve("devices");
        node = TestNodes.start(data);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TlsContexts.trustStore(List.of(caCertificate())));
        dataPlane = IotDataPlaneClient.builder()
                .endpointOverride(URI.create("https://localhost:" + node.apiPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(ProfileCredentialsProvider.builder()
                        .profileFile(ProfileFile.builder().content(data.resolve("credentials")).type(ProfileFile.Type.CREDENTIALS).build())
                        .profileName("rampart").build())
                .httpClient(ApacheHttpClient.builder().tlsTrustManagersProvider(trust::getTrustManagers).build())
                .build();
    }

    @AfterAll
    void stopNode() {
        dataPlane.close();
        node.close();
    }

    private X509Certificate caCertificate() throws Exception {
        return Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
    }

    private Mqtt5BlockingClient device(String name) throws Exception {
        Path policy = Files.writeString(temp.resolve(name + "-policy.json"), SHADOW_POLICY);
        CliRun created = CliRun.against(data, "device", "create", name, "--policy", policy.toString(),
                "--policy-name", name + "-shadow", "--out", devices.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        X509Certificate certificate = Pem.parseCertificate(Files.readString(devices.resolve(name + ".cert.pem")));
        PrivateKey key = Pem.parsePrivateKey(Files.readString(devices.resolve(name + ".private.key")));
        char[] password = "test".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TlsContexts.keyStore(List.of(certificate), key, password), password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TlsContexts.trustStore(List.of(caCertificate())));
        return Mqtt5Client.builder().identifier(name).serverHost("localhost").serverPort(node.mqttPort())
                .sslConfig(MqttClientSslConfig.builder().keyManagerFactory(keys).trustManagerFactory(trust).build())
                .buildBlocking();
    }

    @Test
    void anOperatorsDesiredStateReachesTheDeviceAsADeltaAndItsReportIsReadBack() throws Exception {
        Mqtt5BlockingClient lamp = device("lamp-7");
        lamp.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = lamp.publishes(MqttGlobalPublishFilter.ALL)) {
            lamp.subscribeWith().topicFilter("$aws/things/lamp-7/shadow/update/delta").qos(MqttQos.AT_LEAST_ONCE).send();
            lamp.subscribeWith().topicFilter("$aws/things/lamp-7/shadow/update/accepted").qos(MqttQos.AT_LEAST_ONCE).send();

            dataPlane.updateThingShadow(r -> r.thingName("lamp-7")
                    .payload(SdkBytes.fromUtf8String("{\"state\":{\"desired\":{\"power\":\"on\"}}}")));
            JsonNode delta = awaitMessageOn(received, "$aws/things/lamp-7/shadow/update/delta");
            assertThat(delta.at("/state/power").asText()).isEqualTo("on");

            lamp.publishWith().topic("$aws/things/lamp-7/shadow/update").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"state\":{\"reported\":{\"power\":\"on\"}}}".getBytes(StandardCharsets.UTF_8)).send();
            awaitMessageOn(received, "$aws/things/lamp-7/shadow/update/accepted");
        } finally {
            lamp.disconnect();
        }

        JsonNode shadow = json.readTree(dataPlane.getThingShadow(r -> r.thingName("lamp-7")).payload().asUtf8String());
        assertThat(shadow.at("/state/reported/power").asText()).isEqualTo("on");
        assertThat(shadow.at("/state/delta").isMissingNode()).as("desired and reported agree").isTrue();
        assertThat(shadow.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void deletingAThingDeletesItsShadows() throws Exception {
        try (NodeConnection connection = CliRun.connect(data)) {
            connection.iot().createThing(r -> r.thingName("kettle-2"));
        }
        dataPlane.updateThingShadow(r -> r.thingName("kettle-2").shadowName("settings")
                .payload(SdkBytes.fromUtf8String("{\"state\":{\"desired\":{\"temperature\":80}}}")));
        assertThat(dataPlane.listNamedShadowsForThing(r -> r.thingName("kettle-2")).results()).containsExactly("settings");

        try (NodeConnection connection = CliRun.connect(data)) {
            connection.iot().deleteThing(r -> r.thingName("kettle-2"));
            assertThat(storedShadowRows("kettle-2")).as("rows left in the node's SQLite store").isZero();
            connection.iot().createThing(r -> r.thingName("kettle-2"));
        }
        assertThat(dataPlane.listNamedShadowsForThing(r -> r.thingName("kettle-2")).results())
                .as("a new thing of the same name starts without the old one's shadows").isEmpty();
    }

    /** Read beside the node, straight from its embedded store: the shadow module's own table. */
    private long storedShadowRows(String thingName) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("rampart.db"));
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM shadow_documents WHERE thing_name = ?")) {
            query.setString(1, thingName);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private JsonNode awaitMessageOn(Mqtt5BlockingClient.Mqtt5Publishes received, String topic) throws Exception {
        while (true) {
            Optional<Mqtt5Publish> message = received.receive(5, TimeUnit.SECONDS);
            assertThat(message).as("a message on " + topic).isPresent();
            if (message.get().getTopic().toString().equals(topic)) {
                return json.readTree(message.get().getPayloadAsBytes());
            }
        }
    }
}
