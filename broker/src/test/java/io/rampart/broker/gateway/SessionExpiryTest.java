package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MQTT 5 session expiry interval (§3.1.2.11.2): a session outlives its connection by the interval, 0 ends it with
 * the connection, and DISCONNECT may change it, except from 0 (MQTT-3.14.2-2). The broker keeps no session longer than
 * its maximum (AWS: 1 hour). Expiry runs in real time, in seconds.
 */
class SessionExpiryTest {
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

    /** Connects with cleanStart=false; returns whether the broker had the session (CONNACK session present). */
    private static boolean resume(Mqtt5BlockingClient client) {
        Mqtt5ConnAck connAck = client.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        return connAck.isSessionPresent();
    }

    private static void subscribeWithExpiry(Mqtt5BlockingClient client, long expirySeconds, String filter) {
        client.connectWith().cleanStart(true).sessionExpiryInterval(expirySeconds).send();
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
    }

    private static void publish(String topic, String payload) {
        Mqtt5BlockingClient publisher = gateway.device().v5(TestGateway.clientId("expiry-pub"));
        publisher.connect();
        publisher.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();
        publisher.disconnect();
    }

    @Test
    void anExpiryOfZeroEndsTheSessionWithTheConnection() {
        String clientId = TestGateway.clientId("expiry-zero");
        Mqtt5BlockingClient client = gateway.device().v5(clientId);
        subscribeWithExpiry(client, 0, "expiry/zero");
        client.disconnect();
        assertThat(resume(client)).isFalse();
        client.disconnect();
    }

    @Test
    void aSessionIsKeptForItsExpiryIntervalThenDiscarded() throws Exception {
        String clientId = TestGateway.clientId("expiry-two");
        Mqtt5BlockingClient client = gateway.device().v5(clientId);
        subscribeWithExpiry(client, 2, "expiry/two");
        client.disconnect();
        publish("expiry/two", "kept");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(resume(client)).as("session present within the interval").isTrue();
            assertThat(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes())
                    .isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
        }
        client.disconnectWith().sessionExpiryInterval(2).send();
        Thread.sleep(3_500);
        // Not present: its subscription and anything that would have been queued for it are gone.
        assertThat(resume(client)).as("session present after the interval").isFalse();
        client.disconnect();
    }

    @Test
    void anExpiryAboveTheBrokersMaximumIsLoweredAndAnnouncedInConnAck() {
        Mqtt5BlockingClient forever = gateway.device().v5(TestGateway.clientId("expiry-forever"));
        Mqtt5ConnAck lowered = forever.connectWith().sessionExpiryInterval(0xFFFF_FFFFL).send();
        assertThat(lowered.getSessionExpiryInterval()).isEqualTo(OptionalLong.of(3600));
        forever.disconnect();
        Mqtt5BlockingClient modest = gateway.device().v5(TestGateway.clientId("expiry-modest"));
        Mqtt5ConnAck asked = modest.connectWith().sessionExpiryInterval(600).send();
        assertThat(asked.getSessionExpiryInterval()).as("no Session Expiry Interval when the client's is used").isEmpty();
        modest.disconnect();
    }

    @Test
    void anMqtt311PersistentSessionEndsAfterTheBrokersMaximum() throws Exception {
        try (TestGateway capped = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults()
                .withMinConnectInterval(Duration.ZERO).withMaxSessionExpiry(Duration.ofSeconds(1))))) {
            Mqtt3BlockingClient client = capped.device().v3(TestGateway.clientId("expiry-v3"));
            client.connectWith().cleanSession(false).send();
            client.subscribeWith().topicFilter("expiry/v3").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            assertThat(client.connectWith().cleanSession(false).send().isSessionPresent()).as("present at once").isTrue();
            client.disconnect();
            Thread.sleep(2_500);
            assertThat(client.connectWith().cleanSession(false).send().isSessionPresent()).as("present after 2.5 s").isFalse();
            client.disconnect();
        }
    }

    @Test
    void disconnectMayShortenTheExpiryToZero() {
        String clientId = TestGateway.clientId("expiry-shorten");
        Mqtt5BlockingClient client = gateway.device().v5(clientId);
        subscribeWithExpiry(client, 300, "expiry/shorten");
        client.disconnectWith().sessionExpiryInterval(0).send();
        assertThat(resume(client)).isFalse();
        client.disconnect();
    }

    @Test
    void disconnectMayLengthenANonZeroExpiry() throws Exception {
        String clientId = TestGateway.clientId("expiry-lengthen");
        Mqtt5BlockingClient client = gateway.device().v5(clientId);
        subscribeWithExpiry(client, 1, "expiry/lengthen");
        client.disconnectWith().sessionExpiryInterval(300).send();
        Thread.sleep(2_000);
        assertThat(resume(client)).as("session present 2 s after a 1 s expiry was raised to 300 s").isTrue();
        client.disconnect();
    }

    @Test
    void disconnectCannotMakeASessionThatEndsWithItsConnectionPersistent() throws Exception {
        String clientId = TestGateway.clientId("expiry-from-zero");
        try (WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            client.connect(clientId, MqttProperties.NO_PROPERTIES); // no Session Expiry Interval: 0
            client.subscribe(1, "expiry/from-zero", MqttQoS.AT_LEAST_ONCE, MqttProperties.NO_PROPERTIES);
            MqttProperties persistent = new MqttProperties();
            persistent.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));
            client.disconnect(0, persistent);
            // MQTT-3.14.2-2: a Protocol Error, answered with DISCONNECT 0x82; the session still ends.
            assertThat(client.disconnectReason()).isEqualTo(0x82);
        }
        Mqtt5BlockingClient again = gateway.device().v5(clientId);
        assertThat(resume(again)).isFalse();
        again.disconnect();
    }
}
