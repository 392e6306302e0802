package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.rampart.broker.BrokerConfig;
import io.rampart.policy.SubstitutionMode;
import io.rampart.server.GatewayOptions;
import io.rampart.server.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional plain-TCP listener: off by default, and when configured every client gets exactly the named policy. */
class PlainListenerTest {
    @TempDir
    Path temp;

    @Test
    void aNodeHasNoPlainListenerUnlessConfigured() {
        try (Node node = TestNodes.start(temp.resolve("data"))) {
            assertThat(node.plainMqttPort()).isEmpty();
        }
    }

    @Test
    void plainClientsAreAuthorizedWithTheNamedPolicyOnly() throws Exception {
        Path data = temp.resolve("data");
        GatewayOptions options = new GatewayOptions(SubstitutionMode.STRICT,
                Optional.of(BrokerConfig.PlainListener.loopback(0, "plain-clients")));
        try (Node node = Node.start(TestNodes.config(data), options, Map.of(), Clock.systemUTC(), new SecureRandom())) {
            Path policy = Files.writeString(temp.resolve("plain.json"), """
                    {"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/*"},
                      {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/sensors/*"}]}""");
            CliRun created = CliRun.against(data, "policy", "create", "plain-clients", "--document", policy.toString());
            assertThat(created.exitCode()).as(created.err()).isZero();

            Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("legacy-1").serverHost("127.0.0.1")
                    .serverPort(node.plainMqttPort().orElseThrow()).buildBlocking();
            client.connect();
            client.publishWith().topic("sensors/t").payload(new byte[] {1}).qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () ->
                    client.publishWith().topic("actuators/t").payload(new byte[] {1}).qos(MqttQos.AT_LEAST_ONCE).send());
            assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            client.disconnect();
        }
    }

    @Test
    void aPlainPortWithoutAPolicyIsAUsageError() {
        CliRun run = CliRun.run("server", "--data", temp.resolve("data").toString(), "--api-port", "0", "--mqtt-port", "0",
                "--plain-port", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--plain-port needs --plain-policy");
        assertThat(temp.resolve("data")).doesNotExist();
    }
}
