package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.rampart.broker.BrokerLimits;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 and 5 behaviour through third-party clients (HiveMQ, Paho). */
class MqttFeaturesTest {
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        // No connect-rate limit here (LimitsTest and AuthorizationTest keep AWS's): reconnects need no pause.
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults().withMinConnectInterval(Duration.ZERO)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static Mqtt5BlockingClient connected5(String prefix) {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId(prefix));
        client.connect();
        return client;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void qos2IsDeliveredExactlyOnceInBothDirections() throws Exception {
        Mqtt5BlockingClient subscriber = connected5("qos2-sub");
        Mqtt5BlockingClient publisher = connected5("qos2-pub");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("q2/t").qos(MqttQos.EXACTLY_ONCE).send();
            for (int i = 0; i < 3; i++) {
                publisher.publishWith().topic("q2/t").payload(new byte[]{(byte) i}).qos(MqttQos.EXACTLY_ONCE).send();
            }
            publisher.publishWith().topic("q2/t").payload(new byte[]{9}).qos(MqttQos.AT_MOST_ONCE).send();
            List<Integer> payloads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Mqtt5Publish publish = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
                payloads.add((int) publish.getPayloadAsBytes()[0]);
                if (payloads.getLast() < 9) {
                    assertThat(publish.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
                }
            }
            assertThat(payloads).containsExactly(0, 1, 2, 9);
        }
        subscriber.disconnect();
        publisher.disconnect();
    }

    @Test
    void mqtt311ClientsExchangeQos0And1And2() throws Exception {
        TestGateway.Device device = gateway.device();
        Mqtt3BlockingClient client = device.v3(TestGateway.clientId("v3"));
        client.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("v3/+").qos(MqttQos.EXACTLY_ONCE).send();
            for (MqttQos qos : MqttQos.values()) {
                client.publishWith().topic("v3/" + qos.getCode()).qos(qos).payload(new byte[]{(byte) qos.getCode()}).send();
            }
            for (MqttQos qos : MqttQos.values()) {
                Mqtt3Publish publish = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertThat(publish.getTopic().toString()).isEqualTo("v3/" + qos.getCode());
                assertThat(publish.getQos()).isEqualTo(qos);
            }
        }
        client.disconnect();
    }

    @Test
    void aRetainedMessageReachesLaterSubscribersUntilClearedByAnEmptyOne() throws Exception {
        Mqtt5BlockingClient publisher = connected5("retain-pub");
        publisher.publishWith().topic("retained/lamp").retain(true).payload(bytes("on")).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient late = connected5("retain-late");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter("retained/+").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish retained = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(retained.isRetain()).isTrue();
            assertThat(retained.getPayloadAsBytes()).isEqualTo(bytes("on"));
        }
        publisher.publishWith().topic("retained/lamp").retain(true).payload(new byte[0]).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient later = connected5("retain-later");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = later.publishes(MqttGlobalPublishFilter.ALL)) {
            later.subscribeWith().topicFilter("retained/+").qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publishWith().topic("retained/marker").payload(bytes("marker")).qos(MqttQos.AT_LEAST_ONCE).send();
            // Had the cleared message still been retained, it would arrive before the marker.
            assertThat(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("retained/marker");
        }
        publisher.disconnect();
        late.disconnect();
        later.disconnect();
    }

    @Test
    void theWillIsPublishedWhenTheConnectionDropsButNotAfterDisconnect() throws Exception {
        Mqtt5BlockingClient watcher = connected5("will-watch");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("will/+").qos(MqttQos.AT_LEAST_ONCE).send();
            try (RawMqtt polite = new RawMqtt(gateway.device().sslContext(), gateway.port())) {
                polite.send(connectWithWill(TestGateway.clientId("polite"), "will/polite"));
                polite.read(4);
                polite.send(new byte[]{(byte) 0xE0, 0x00}); // DISCONNECT: the will is discarded
                polite.closedByServer();
            }
            try (RawMqtt rude = new RawMqtt(gateway.device().sslContext(), gateway.port())) {
                rude.send(connectWithWill(TestGateway.clientId("rude"), "will/rude"));
                rude.read(4);
            } // closed without DISCONNECT
            Mqtt5Publish will = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(will.getTopic().toString()).isEqualTo("will/rude");
            assertThat(will.getPayloadAsBytes()).isEqualTo(bytes("gone"));
        }
        watcher.disconnect();
    }

    private static byte[] connectWithWill(String clientId, String willTopic) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, bytes("MQTT"));
        body.write(4);
        body.write(0x02 | 0x04 | 0x08); // clean session, will flag, will QoS 1
        body.write(0);
        body.write(60);
        writeString(body, bytes(clientId));
        writeString(body, bytes(willTopic));
        writeString(body, bytes("gone"));
        return RawMqtt.packet(0x10, body.toByteArray());
    }

    private static void writeString(ByteArrayOutputStream out, byte[] utf8) {
        out.write(utf8.length >> 8);
        out.write(utf8.length & 0xFF);
        out.writeBytes(utf8);
    }

    @Test
    void anMqtt5ClientWithoutClientIdIsAssignedOne() {
        Mqtt5BlockingClient client = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(gateway.port())
                .sslConfig(gateway.device().hiveMqSsl()).buildBlocking();
        Mqtt5ConnAck connAck = client.connect();
        // MQTT-3.2.2-16: the CONNACK carries the Assigned Client Identifier.
        assertThat(connAck.getAssignedClientIdentifier()).isPresent();
        assertThat(connAck.getAssignedClientIdentifier().get().toString()).startsWith("rampart-");
        client.disconnect();
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesTheSessionOverWithReason0x8E() throws Exception {
        String clientId = TestGateway.clientId("takeover");
        CompletableFuture<Throwable> firstDropped = new CompletableFuture<>();
        Mqtt5BlockingClient first = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(gateway.port()).sslConfig(gateway.device().hiveMqSsl())
                .addDisconnectedListener(context -> firstDropped.complete(context.getCause())).buildBlocking();
        first.connect();
        Mqtt5BlockingClient second = gateway.device().v5(clientId);
        second.connect();
        Throwable cause = firstDropped.get(5, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        assertThat(second.getState().isConnected()).isTrue();
        second.disconnect();
    }

    @Test
    void aPersistentSessionKeepsSubscriptionsAndQueuesQos1MessagesWhileOffline() throws Exception {
        TestGateway.Device device = gateway.device();
        String clientId = TestGateway.clientId("persistent");
        Mqtt5BlockingClient client = device.v5(clientId);
        client.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        client.subscribeWith().topicFilter("offline/+").qos(MqttQos.AT_LEAST_ONCE).send();
        client.disconnect();
        Mqtt5BlockingClient publisher = connected5("offline-pub");
        publisher.publishWith().topic("offline/1").payload(bytes("queued")).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient again = device.v5(clientId);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = again.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck connAck = again.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
            assertThat(connAck.isSessionPresent()).isTrue();
            Mqtt5Publish queued = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(queued.getPayloadAsBytes()).isEqualTo(bytes("queued"));
        }
        again.disconnect();
        publisher.disconnect();
    }

    @Test
    void aSharedSubscriptionGivesEachMessageToOneMemberOfTheGroup() throws Exception {
        Mqtt5BlockingClient a = connected5("share-a");
        Mqtt5BlockingClient b = connected5("share-b");
        Mqtt5BlockingClient publisher = connected5("share-pub");
        try (Mqtt5BlockingClient.Mqtt5Publishes inboxA = a.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes inboxB = b.publishes(MqttGlobalPublishFilter.ALL)) {
            a.subscribeWith().topicFilter("$share/workers/jobs/+").qos(MqttQos.AT_LEAST_ONCE).send();
            b.subscribeWith().topicFilter("$share/workers/jobs/+").qos(MqttQos.AT_LEAST_ONCE).send();
            int messages = 10;
            for (int i = 0; i < messages; i++) {
                publisher.publishWith().topic("jobs/" + i).payload(new byte[]{(byte) i}).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            int received = 0;
            int fromA = 0;
            while (received < messages) {
                Optional<Mqtt5Publish> nextA = inboxA.receive(50, TimeUnit.MILLISECONDS);
                if (nextA.isPresent()) {
                    received++;
                    fromA++;
                }
                Optional<Mqtt5Publish> nextB = inboxB.receive(50, TimeUnit.MILLISECONDS);
                if (nextB.isPresent()) {
                    received++;
                }
                if (nextA.isEmpty() && nextB.isEmpty()) {
                    assertThat(received).as("messages received before a quiet period").isEqualTo(messages);
                }
            }
            assertThat(received).isEqualTo(messages);
            assertThat(fromA).isBetween(1, messages - 1);
        }
        a.disconnect();
        b.disconnect();
        publisher.disconnect();
    }

    @Test
    void noLocalSuppressesTheClientsOwnMessages() throws Exception {
        Mqtt5BlockingClient client = connected5("nolocal");
        Mqtt5BlockingClient other = connected5("nolocal-other");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("chat/room").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
            client.publishWith().topic("chat/room").payload(bytes("mine")).qos(MqttQos.AT_LEAST_ONCE).send();
            other.publishWith().topic("chat/room").payload(bytes("theirs")).qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()).isEqualTo(bytes("theirs"));
        }
        client.disconnect();
        other.disconnect();
    }

    @Test
    void requestResponsePropertiesAndSubscriptionIdentifiersReachTheReceiver() throws Exception {
        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        MqttAsyncClient paho = new MqttAsyncClient("ssl://127.0.0.1:" + gateway.port(), TestGateway.clientId("paho5"), new MemoryPersistence());
        paho.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(gateway.device().sslContext().getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(false);
        paho.connect(options).waitForCompletion(5_000);
        MqttProperties subscribeProperties = new MqttProperties();
        subscribeProperties.setSubscriptionIdentifier(42);
        paho.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[]{
                new org.eclipse.paho.mqttv5.common.MqttSubscription("rpc/request", 1)}, null, null, subscribeProperties)
                .waitForCompletion(5_000);

        Mqtt5BlockingClient requester = connected5("requester");
        requester.publishWith().topic("rpc/request").payload(bytes("{}")).qos(MqttQos.AT_LEAST_ONCE)
                .responseTopic("rpc/response/1").correlationData(bytes("corr-7")).contentType("application/json")
                .payloadFormatIndicator(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator.UTF_8)
                .userProperties().add("trace", "abc").add("trace", "def").applyUserProperties()
                .send();
        MqttMessage message = received.poll(5, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        MqttProperties properties = message.getProperties();
        assertThat(properties.getResponseTopic()).isEqualTo("rpc/response/1");
        assertThat(properties.getCorrelationData()).isEqualTo(bytes("corr-7"));
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getPayloadFormat()).isTrue();
        assertThat(properties.getSubscriptionIdentifiers()).containsExactly(42);
        Map<String, List<String>> users = new HashMap<>();
        for (UserProperty user : properties.getUserProperties()) {
            users.computeIfAbsent(user.getKey(), k -> new ArrayList<>()).add(user.getValue());
        }
        assertThat(users).containsEntry("trace", List.of("abc", "def"));
        paho.disconnect().waitForCompletion(5_000);
        paho.close();
        requester.disconnect();
    }

    @Test
    void theFiftyFirstSubscriptionIsRefusedWithQuotaExceeded() {
        Mqtt5BlockingClient client = connected5("many-subs");
        for (int i = 0; i < 50; i++) {
            client.subscribeWith().topicFilter("many/" + i).qos(MqttQos.AT_MOST_ONCE).send();
        }
        Mqtt5SubAck subAck;
        try {
            subAck = client.subscribeWith().topicFilter("many/50").qos(MqttQos.AT_MOST_ONCE).send();
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
            subAck = e.getMqttMessage();
        }
        assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED);
        // Re-subscribing to a filter already held is not a new subscription.
        assertThat(client.subscribeWith().topicFilter("many/0").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        client.disconnect();
    }

    @Test
    void aTopicDeeperThanSevenSlashesDisconnectsWithTopicNameInvalid() throws Exception {
        CompletableFuture<Throwable> dropped = new CompletableFuture<>();
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(TestGateway.clientId("deep")).serverHost("127.0.0.1")
                .serverPort(gateway.port()).sslConfig(gateway.device().hiveMqSsl())
                .addDisconnectedListener(context -> dropped.complete(context.getCause())).buildBlocking();
        client.connect();
        client.toAsync().publishWith().topic("a/b/c/d/e/f/g/h/i").payload(new byte[]{1}).qos(MqttQos.AT_MOST_ONCE).send();
        Throwable cause = dropped.get(5, TimeUnit.SECONDS);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.TOPIC_NAME_INVALID);
    }

    @Test
    void retainHandlingDoNotSendSkipsRetainedMessages() throws Exception {
        Mqtt5BlockingClient publisher = gateway.device().v5(TestGateway.clientId("rh-pub"));
        publisher.connect();
        publisher.publishWith().topic("rh/state").retain(true).payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient subscriber = gateway.device().v5(TestGateway.clientId("rh-sub"));
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("rh/+").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            publisher.publishWith().topic("rh/marker").payload(new byte[]{2}).qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("rh/marker");
        }
        publisher.disconnect();
        subscriber.disconnect();
    }
}
