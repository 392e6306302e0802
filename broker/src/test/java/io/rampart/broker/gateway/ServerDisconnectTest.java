package io.rampart.broker.gateway;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DISCONNECTs the broker starts, with their MQTT 5 reason codes (§3.14.2.1). Others are tested with the behaviour that
 * causes them: 0x8E session taken over (MqttFeaturesTest, WillDelayTest), 0x93 (ReceiveMaximumTest), 0x94
 * (TopicAliasTest), 0x95 (MaximumPacketSizeTest), 0x82 (TopicAliasTest, SessionExpiryTest, SubscriptionOptionsTest).
 */
class ServerDisconnectTest {

    private static TestGateway gatewayWithKeepAliveFloor(Duration floor) {
        return new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults().withMinKeepAlive(floor)));
    }

    @Test
    void aSilentClientIsDisconnectedWith0x8DAfterOneAndAHalfKeepAlives() throws Exception {
        try (TestGateway gateway = gatewayWithKeepAliveFloor(Duration.ofSeconds(1));
             WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            MqttConnAckMessage connAck = client.connect(TestGateway.clientId("silent"), true, MqttProperties.NO_PROPERTIES,
                    builder -> builder.keepAlive(1));
            assertThat(connAck.variableHeader().properties().getProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value()))
                    .as("Server Keep Alive when the broker keeps the client's value").isNull();
            assertThat(client.disconnectReason()).isEqualTo(0x8D);
        }
        TestGateway.assertNoLeaks();
    }

    @Test
    void aKeepAliveOfZeroIsReplacedByTheMaximumAndAnnounced() throws Exception {
        try (TestGateway gateway = gatewayWithKeepAliveFloor(Duration.ofSeconds(30));
             WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            MqttConnAckMessage connAck = client.connect(TestGateway.clientId("keepalive-zero"), true, MqttProperties.NO_PROPERTIES,
                    builder -> builder.keepAlive(0));
            // AWS IoT has no "no keep-alive": 0 becomes 1200 s, which the client must then use (MQTT-3.2.2-21).
            assertThat(connAck.variableHeader().properties().getProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value()).value())
                    .isEqualTo(1200);
        }
    }

    @Test
    void aRevokedCertificatesConnectionsAreDisconnectedWith0x87() throws Exception {
        try (TestGateway gateway = gatewayWithKeepAliveFloor(Duration.ofSeconds(30))) {
            TestGateway.Device device = gateway.device();
            try (WireClient client = new WireClient(device.sslContext(), gateway.port())) {
                client.connect(TestGateway.clientId("revoked"), MqttProperties.NO_PROPERTIES);
                assertThat(gateway.broker.disconnectPrincipal(device.certificateId().value())).isEqualTo(1);
                assertThat(client.disconnectReason()).isEqualTo(0x87);
            }
        }
    }

    @Test
    void enhancedAuthenticationIsRefusedWith0x8C() throws Exception {
        try (TestGateway gateway = gatewayWithKeepAliveFloor(Duration.ofSeconds(30));
             WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.StringProperty(MqttPropertyType.AUTHENTICATION_METHOD.value(), "SCRAM-SHA-1"));
            MqttConnAckMessage connAck = client.connect(TestGateway.clientId("scram"), properties);
            assertThat(connAck.variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void stoppingTheBrokerDisconnectsMqtt5ClientsWith0x8B() throws Exception {
        TestGateway gateway = gatewayWithKeepAliveFloor(Duration.ofSeconds(30));
        try (WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            client.connect(TestGateway.clientId("shutdown"), MqttProperties.NO_PROPERTIES);
            gateway.close();
            assertThat(client.disconnectReason()).isEqualTo(0x8B);
            assertThat(client.closedByServer()).isTrue();
        } finally {
            gateway.close();
        }
        TestGateway.assertNoLeaks();
    }
}
