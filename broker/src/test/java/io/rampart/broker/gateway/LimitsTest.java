package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.rampart.broker.BrokerLimits;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** AWS's quotas as defaults; violations get the right answer and are counted. */
class LimitsTest {
    static final int PUBLISHES_PER_SECOND = 5;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        BrokerLimits limits = BrokerLimits.awsDefaults().withMaxPublishesPerSecond(PUBLISHES_PER_SECOND);
        gateway = new TestGateway(config -> config.withLimits(limits));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    @Test
    void aClientIdLongerThan128BytesIsRejected() {
        MqttException refused = catchThrowableOfType(MqttException.class, () -> {
            MqttClient client = new MqttClient("ssl://127.0.0.1:" + gateway.port(), "x".repeat(129), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(gateway.device().sslContext().getSocketFactory());
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setHttpsHostnameVerificationEnabled(false);
            client.connect(options);
        });
        assertThat(refused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
    }

    @Test
    void aPayloadOverTheLimitClosesTheConnection() throws IOException {
        long before = gateway.broker.statistics().limitViolations();
        try (RawMqtt raw = new RawMqtt(gateway.device().sslContext(), gateway.port())) {
            raw.send(RawMqtt.connect311(TestGateway.clientId("heavy")));
            raw.read(4);
            byte[] payload = new byte[BrokerLimits.awsDefaults().maxPayloadBytes() + 1];
            boolean closed;
            try {
                raw.send(RawMqtt.publishQos0("heavy/one".getBytes(StandardCharsets.UTF_8), payload));
                closed = raw.closedByServer();
            } catch (SocketException e) {
                closed = true;
            }
            assertThat(closed).isTrue();
        }
        assertThat(gateway.broker.statistics().limitViolations()).isGreaterThan(before);
    }

    @Test
    void publishingFasterThanTheRateLimitGetsQuotaExceededInMqtt5() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("fast"));
        client.connect();
        int refused = 0;
        int sent = 4 * PUBLISHES_PER_SECOND;
        for (int i = 0; i < sent; i++) {
            Mqtt5PubAckException quota = catchThrowableOfType(Mqtt5PubAckException.class, () ->
                    client.publishWith().topic("fast/t").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send());
            if (quota != null) {
                assertThat(quota.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
                refused++;
            }
        }
        // However the burst falls across second boundaries, at most 5 per second pass.
        assertThat(refused).isPositive();
        client.disconnect();
    }
}
