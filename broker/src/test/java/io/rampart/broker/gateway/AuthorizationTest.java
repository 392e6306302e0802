package io.rampart.broker.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.rampart.common.Json;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every MQTT step is checked against the policy; denials answer as AWS IoT does and are counted. */
class AuthorizationTest {
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new TestGateway();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static MqttClient paho3(TestGateway.Device device, String clientId) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + gateway.port(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(device.sslContext().getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(false);
        options.setAutomaticReconnect(false);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options);
        return client;
    }

    @Test
    void aDeniedConnectIsRefusedWithNotAuthorizedInMqtt311() {
        MqttException refused = catchThrowableOfType(MqttException.class,
                () -> paho3(gateway.device(), TestGateway.clientId("banned")));
        assertThat(refused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    @Test
    void aDeniedConnectIsRefusedWith0x87InMqtt5() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("banned"));
        Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, client::connect);
        assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void aDeniedPublishClosesAnMqtt311Connection() throws Exception {
        MqttClient client = paho3(gateway.device(), TestGateway.clientId("pub311"));
        long before = gateway.broker.statistics().authorizationDenials();
        try {
            client.publish("forbidden/x", new byte[]{1}, 1, false);
        } catch (MqttException e) {
            // The broker closes the connection instead of acknowledging; Paho reports the lost connection.
            assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_CONNECTION_LOST);
        }
        for (int i = 0; i < 50 && client.isConnected(); i++) {
            Thread.sleep(100);
        }
        assertThat(client.isConnected()).isFalse();
        assertThat(gateway.broker.statistics().authorizationDenials()).isGreaterThan(before);
        client.close();
    }

    @Test
    void aDeniedPublishGetsPubAck0x87InMqtt5AndTheConnectionStays() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("pub5"));
        client.connect();
        Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () ->
                client.publishWith().topic("forbidden/x").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        client.publishWith().topic("allowed/x").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send();
        client.disconnect();
    }

    @Test
    void aRetainedPublishNeedsRetainPublish() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("retain"));
        client.connect();
        Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () ->
                client.publishWith().topic("noretain/x").retain(true).payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        client.disconnect();
    }

    @Test
    void devicesCannotPublishIntoAwsReservedTopicsWhereNoServiceListens() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("aws"));
        client.connect();
        Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () ->
                client.publishWith().topic("$aws/things/x/shadow/update").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        client.disconnect();
    }

    @Test
    void aDeniedSubscribeGets0x80InMqtt311() throws Exception {
        MqttClient client = paho3(gateway.device(), TestGateway.clientId("sub311"));
        org.eclipse.paho.client.mqttv3.IMqttToken token = client.subscribeWithResponse(new String[]{"forbidden/a", "ok/a"}, new int[]{1, 1});
        int[] granted = token.getGrantedQos();
        assertThat(granted).containsExactly(0x80, 1);
        client.disconnect();
        client.close();
    }

    @Test
    void aDeniedSubscribeGets0x87InMqtt5() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("sub5"));
        client.connect();
        Mqtt5SubAckException denied = catchThrowableOfType(Mqtt5SubAckException.class, () ->
                client.subscribeWith().topicFilter("forbidden/b").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(denied.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        client.disconnect();
    }

    @Test
    void aMessageTheSubscriberMayNotReceiveIsNotDelivered() throws Exception {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("receive"));
        client.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith().topic("secret/plan").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith().topic("public/news").payload(new byte[]{2}).qos(MqttQos.AT_LEAST_ONCE).send();
            // Deliveries keep publish order: had the secret message been delivered, it would come first.
            Optional<Mqtt5Publish> first = inbox.receive(5, TimeUnit.SECONDS);
            assertThat(first).isPresent();
            assertThat(first.get().getTopic().toString()).isEqualTo("public/news");
        }
        client.disconnect();
    }

    @Test
    void decisionsAreCachedPerConnectionAndInvalidationMakesAPolicyChangeCount() throws Exception {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("cache"));
        client.connect();
        client.publishWith().topic("cache/a").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send();
        int calls = gateway.authorizerCalls.get();
        for (int i = 0; i < 5; i++) {
            client.publishWith().topic("cache/a").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send();
        }
        assertThat(gateway.authorizerCalls.get()).isEqualTo(calls);

        List<NamedPolicy> before = gateway.policies;
        gateway.policies = List.of(new NamedPolicy("test", "2", PolicyDocument.parse(
                TestGateway.POLICY.replace("topic/forbidden/*", "topic/cache/*"))));
        try {
            gateway.broker.invalidateAuthorizations(null);
            Mqtt5PubAckException denied = null;
            for (int i = 0; i < 50 && denied == null; i++) {
                denied = catchThrowableOfType(Mqtt5PubAckException.class, () ->
                        client.publishWith().topic("cache/a").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send());
            }
            assertThat(denied).isNotNull();
        } finally {
            gateway.policies = before;
        }
        client.disconnect();
    }

    @Test
    void revokingACertificateDisconnectsItsConnectionsWithinOneSecond() throws Exception {
        TestGateway.Device device = gateway.device();
        Mqtt5BlockingClient client = device.v5(TestGateway.clientId("revoked"));
        client.connect();
        assertThat(gateway.broker.disconnectPrincipal(device.certificateId().value())).isEqualTo(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (client.getState().isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.getState().isConnected()).isFalse();
    }

    @Test
    void lifecycleEventsHaveAwsShape() throws Exception {
        Mqtt5BlockingClient watcher = gateway.device().v5(TestGateway.clientId("watcher"));
        watcher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("$aws/events/presence/+/+").qos(MqttQos.AT_LEAST_ONCE).send();
            TestGateway.Device device = gateway.device();
            String clientId = TestGateway.clientId("lifecycle");
            Mqtt5BlockingClient client = device.v5(clientId);
            client.connect();
            client.disconnect();
            JsonNode connected = nextEventFor(inbox, clientId);
            assertThat(connected.get("eventType").asText()).isEqualTo("connected");
            assertThat(connected.get("principalIdentifier").asText()).isEqualTo(device.certificateId().value());
            assertThat(connected.get("ipAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(connected.has("sessionIdentifier") && connected.has("versionNumber") && connected.has("timestamp")).isTrue();
            JsonNode disconnected = nextEventFor(inbox, clientId);
            assertThat(disconnected.get("eventType").asText()).isEqualTo("disconnected");
            assertThat(disconnected.get("clientInitiatedDisconnect").asBoolean()).isTrue();
            assertThat(disconnected.get("disconnectReason").asText()).isEqualTo("CLIENT_INITIATED_DISCONNECT");
            assertThat(disconnected.get("versionNumber").asLong()).isGreaterThan(connected.get("versionNumber").asLong());
        }
        watcher.disconnect();
    }

    private static JsonNode nextEventFor(Mqtt5BlockingClient.Mqtt5Publishes inbox, String clientId) throws Exception {
        for (int i = 0; i < 20; i++) {
            Optional<Mqtt5Publish> event = inbox.receive(5, TimeUnit.SECONDS);
            assertThat(event).as("a lifecycle event").isPresent();
            JsonNode json = Json.newMapper().readTree(new String(event.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            if (json.get("clientId").asText().equals(clientId)) {
                return json;
            }
        }
        throw new AssertionError("no lifecycle event for " + clientId);
    }
}
