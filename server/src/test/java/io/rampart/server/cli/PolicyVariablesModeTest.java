package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.rampart.pki.Pem;
import io.rampart.pki.TlsContexts;
import io.rampart.policy.SubstitutionMode;
import io.rampart.server.GatewayOptions;
import io.rampart.server.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --policy-variables}: AWS documents that a client connecting with client id {@code +} may subscribe to every
 * client's topics through a statement on {@code topicfilter/things/${iot:ClientId}/data}. The node's default (STRICT)
 * refuses that; AWS_COMPATIBLE reproduces AWS.
 */
class PolicyVariablesModeTest {
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/things/${iot:ClientId}/data"}
            ]}""";

    @TempDir
    Path temp;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::close);
    }

    private Mqtt5BlockingClient wildcardClient(SubstitutionMode mode) throws Exception {
        Path data = temp.resolve(mode.name());
        Path out = temp.resolve(mode.name() + "-device");
        Node node = Node.start(TestNodes.config(data), new GatewayOptions(mode, Optional.empty()), Map.of(),
                Clock.systemUTC(), new SecureRandom());
        nodes.add(node);
        Path policy = Files.writeString(temp.resolve(mode.name() + ".json"), POLICY);
        CliRun created = CliRun.against(data, "device", "create", "sensor", "--policy", policy.toString(), "--out", out.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();

        char[] password = "test".toCharArray();
        KeyStore keys = TlsContexts.keyStore(List.of(Pem.parseCertificate(Files.readString(out.resolve("sensor.cert.pem")))),
                Pem.parsePrivateKey(Files.readString(out.resolve("sensor.private.key"))), password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(Pem.parseCertificate(Files.readString(out.resolve("ca.pem"))))));
        MqttClientSslConfig tls = MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("+").serverHost("localhost")
                .serverPort(node.mqttPort()).sslConfig(tls).buildBlocking();
        client.connect();
        return client;
    }

    @Test
    void byDefaultAClientIdWithAnMqttWildcardCannotWidenItsSubscriptions() throws Exception {
        Mqtt5BlockingClient client = wildcardClient(SubstitutionMode.STRICT);
        Mqtt5SubAckException denied = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> client.subscribeWith().topicFilter("things/+/data").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(denied.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        client.disconnect();
    }

    @Test
    void awsCompatibleModeGrantsWhatAwsGrants() throws Exception {
        Mqtt5BlockingClient client = wildcardClient(SubstitutionMode.AWS_COMPATIBLE);
        Mqtt5SubAck granted = client.subscribeWith().topicFilter("things/+/data").qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(granted.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        client.disconnect();
    }
}
