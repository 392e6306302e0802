package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import io.rampart.policy.SubstitutionMode;
import io.rampart.server.GatewayLimits;
import io.rampart.server.GatewayOptions;
import io.rampart.server.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart server --limit NAME=VALUE} reaches the running gateway, and a bad one stops the start. */
class GatewayLimitsOptionTest {
    @TempDir
    Path temp;

    @Test
    void aLoweredPayloadLimitDisconnectsAPublisherThatExceedsIt() throws Exception {
        Path data = temp.resolve("data");
        BrokerLimits limits = GatewayLimits.apply(BrokerLimits.awsDefaults(), List.of("payload-bytes=64"));
        GatewayOptions options = new GatewayOptions(SubstitutionMode.STRICT,
                Optional.of(BrokerConfig.PlainListener.loopback(0, "plain-clients"))).withLimits(limits);
        try (Node node = Node.start(TestNodes.config(data), options, Map.of(), Clock.systemUTC(), new SecureRandom())) {
            Path policy = Files.writeString(temp.resolve("plain.json"), """
                    {"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Action": ["iot:Connect", "iot:Publish"], "Resource": "*"}]}""");
            CliRun created = CliRun.against(data, "policy", "create", "plain-clients", "--document", policy.toString());
            assertThat(created.exitCode()).as(created.err()).isZero();
            CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
            Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("sensor-1").serverHost("127.0.0.1")
                    .serverPort(node.plainMqttPort().orElseThrow())
                    .addDisconnectedListener(context -> disconnected.complete(context.getCause())).buildBlocking();
            client.connect();
            client.publishWith().topic("sensors/t").payload(new byte[64]).qos(MqttQos.AT_LEAST_ONCE).send();

            catchThrowable(() -> client.publishWith().topic("sensors/t").payload(new byte[65]).qos(MqttQos.AT_LEAST_ONCE).send());

            assertThat(disconnected.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Mqtt5DisconnectException.class,
                    dropped -> assertThat(dropped.getMqttMessage().getReasonCode())
                            .isEqualTo(Mqtt5DisconnectReasonCode.PACKET_TOO_LARGE));
        }
    }

    @Test
    void anUnknownLimitIsAUsageErrorBeforeAnythingIsCreated() {
        CliRun run = CliRun.run("server", "--data", temp.resolve("data").toString(), "--api-port", "0",
                "--mqtt-port", "0", "--limit", "payload=1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown limit 'payload'; known limits: payload-bytes");
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void theHelpListsEveryLimitName() {
        CliRun run = CliRun.run("server", "--help");

        assertThat(run.exitCode()).isZero();
        String help = run.out().replaceAll("\\s+", " ");
        for (String name : GatewayLimits.names()) {
            assertThat(help).as(name).contains(name);
        }
    }
}
