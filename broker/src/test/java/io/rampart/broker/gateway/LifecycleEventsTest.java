package io.rampart.broker.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AWS IoT's lifecycle messages, field for field as the AWS IoT Developer Guide ("Lifecycle events") documents them:
 * {@code $aws/events/presence/connected|disconnected/<clientId>} and
 * {@code $aws/events/subscriptions/subscribed|unsubscribed/<clientId>}. ({@code thingName} appears on AWS only with
 * its "exclusive thing" feature, which Rampart does not have.)
 */
class LifecycleEventsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults().withMinConnectInterval(Duration.ZERO)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aSessionPublishesConnectedSubscribedUnsubscribedAndDisconnectedInAwsShape() throws Exception {
        String clientId = TestGateway.clientId("lifecycle");
        TestGateway.Device device = gateway.device();
        Mqtt5BlockingClient watcher = gateway.device().v5(TestGateway.clientId("lifecycle-watch"));
        watcher.connect();
        List<Mqtt5Publish> events = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("$aws/events/presence/+/" + clientId).qos(MqttQos.AT_LEAST_ONCE).send();
            watcher.subscribeWith().topicFilter("$aws/events/subscriptions/+/" + clientId).qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient client = device.v5(clientId);
            client.connect();
            client.subscribeWith().addSubscription().topicFilter("life/a").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("life/b/#").qos(MqttQos.AT_MOST_ONCE).applySubscription().send();
            client.unsubscribeWith().topicFilter("life/a").send();
            client.disconnect();
            for (int i = 0; i < 4; i++) {
                events.add(inbox.receive(5, TimeUnit.SECONDS).orElseThrow());
            }
        }
        watcher.disconnect();

        assertThat(events).extracting(e -> e.getTopic().toString()).containsExactly(
                "$aws/events/presence/connected/" + clientId,
                "$aws/events/subscriptions/subscribed/" + clientId,
                "$aws/events/subscriptions/unsubscribed/" + clientId,
                "$aws/events/presence/disconnected/" + clientId);
        JsonNode connected = JSON.readTree(events.get(0).getPayloadAsBytes());
        JsonNode subscribed = JSON.readTree(events.get(1).getPayloadAsBytes());
        JsonNode unsubscribed = JSON.readTree(events.get(2).getPayloadAsBytes());
        JsonNode disconnected = JSON.readTree(events.get(3).getPayloadAsBytes());

        assertThat(fields(connected)).containsExactlyInAnyOrder("clientId", "timestamp", "eventType", "sessionIdentifier",
                "principalIdentifier", "ipAddress", "versionNumber");
        assertThat(connected.get("eventType").asText()).isEqualTo("connected");
        assertThat(connected.get("ipAddress").asText()).isEqualTo("127.0.0.1");

        assertThat(fields(subscribed)).containsExactlyInAnyOrder("clientId", "timestamp", "eventType", "sessionIdentifier",
                "principalIdentifier", "topics");
        assertThat(subscribed.get("eventType").asText()).isEqualTo("subscribed");
        assertThat(subscribed.get("topics").isArray()).isTrue();
        assertThat(subscribed.get("topics")).extracting(JsonNode::asText).containsExactly("life/a", "life/b/#");

        assertThat(fields(unsubscribed)).isEqualTo(fields(subscribed));
        assertThat(unsubscribed.get("eventType").asText()).isEqualTo("unsubscribed");
        assertThat(unsubscribed.get("topics")).extracting(JsonNode::asText).containsExactly("life/a");

        assertThat(fields(disconnected)).containsExactlyInAnyOrder("clientId", "timestamp", "eventType", "sessionIdentifier",
                "principalIdentifier", "clientInitiatedDisconnect", "disconnectReason", "versionNumber");
        assertThat(disconnected.get("eventType").asText()).isEqualTo("disconnected");
        assertThat(disconnected.get("clientInitiatedDisconnect").isBoolean()).isTrue();
        assertThat(disconnected.get("clientInitiatedDisconnect").asBoolean()).isTrue();
        assertThat(disconnected.get("disconnectReason").asText()).isEqualTo("CLIENT_INITIATED_DISCONNECT");

        for (JsonNode event : List.of(connected, subscribed, unsubscribed, disconnected)) {
            assertThat(event.get("clientId").asText()).isEqualTo(clientId);
            // For TLS client certificates the principal is the certificate id (AWS's SHA-256 fingerprint).
            assertThat(event.get("principalIdentifier").asText()).isEqualTo(device.certificateId().value());
            assertThat(event.get("timestamp").isIntegralNumber()).isTrue();
            assertThat(event.get("sessionIdentifier").asText()).isEqualTo(connected.get("sessionIdentifier").asText());
        }
        assertThat(connected.get("versionNumber").isIntegralNumber()).isTrue();
        assertThat(disconnected.get("versionNumber").asLong()).isGreaterThan(connected.get("versionNumber").asLong());
    }

    @Test
    void aClientIdWithAWildcardCharacterGetsNoLifecycleMessages() throws Exception {
        String suffix = TestGateway.clientId("");
        Mqtt5BlockingClient watcher = gateway.device().v5(TestGateway.clientId("lifecycle-watch"));
        watcher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("$aws/events/presence/connected/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient wild = gateway.device().v5("life+wild" + suffix);
            wild.connect();
            Mqtt5BlockingClient marker = gateway.device().v5("life-marker" + suffix);
            marker.connect();
            // As on AWS: no topic can name a client id containing + or #, so the first event seen is the marker's.
            assertThat(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString())
                    .isEqualTo("$aws/events/presence/connected/life-marker" + suffix);
            wild.disconnect();
            marker.disconnect();
        }
        watcher.disconnect();
    }

    @Test
    void aConnectionLostWithoutDisconnectIsNotClientInitiated() throws Exception {
        String clientId = TestGateway.clientId("lifecycle-lost");
        Mqtt5BlockingClient watcher = gateway.device().v5(TestGateway.clientId("lifecycle-watch"));
        watcher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("$aws/events/presence/disconnected/" + clientId).qos(MqttQos.AT_LEAST_ONCE).send();
            try (WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
                client.connect(clientId, io.netty.handler.codec.mqtt.MqttProperties.NO_PROPERTIES);
            } // socket closed without DISCONNECT
            JsonNode disconnected = JSON.readTree(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes());
            assertThat(disconnected.get("clientInitiatedDisconnect").asBoolean()).isFalse();
            assertThat(disconnected.get("disconnectReason").asText()).isEqualTo("CONNECTION_LOST");
        }
        watcher.disconnect();
    }
}
