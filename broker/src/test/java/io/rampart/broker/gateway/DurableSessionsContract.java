package io.rampart.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.broker.store.BrokerStorage;
import io.rampart.broker.store.CommitSettings;
import io.rampart.broker.store.StoredSession;
import io.rampart.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a real broker store: persistent sessions (subscriptions, QoS 1 and QoS 2 messages queued while the
 * client was away) and retained messages survive a restart of the broker, and an expired session leaves nothing in
 * the store. Run on SQLite and PostgreSQL by the subclasses. (A {@code kill -9} of a whole node is the server module's
 * {@code KillNineNodeTest}.)
 */
abstract class DurableSessionsContract {
    private static final Duration HOUR = Duration.ofHours(1);

    private final TestDatabase db;
    private BrokerStorage storage;
    private TestGateway gateway;

    DurableSessionsContract(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void start() {
        storage = BrokerStorage.open(db.database(), Clock.systemUTC(), CommitSettings.DEFAULTS);
        gateway = new TestGateway(config -> config, Clock.systemUTC(), storage);
    }

    @AfterEach
    void stop() {
        gateway.close();
        storage.close();
    }

    @AfterAll
    static void noLeaks() {
        TestGateway.assertNoLeaks();
    }

    /** Stops the broker, closes the store and the pool, and starts a new broker on the same database. */
    private void restart() {
        gateway.restart(() -> {
            storage.close();
            storage = BrokerStorage.open(db.reopen(), Clock.systemUTC(), CommitSettings.DEFAULTS);
            return storage;
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void anMqtt5PersistentSessionKeepsItsSubscriptionAndQueuedQos1AndQos2MessagesAcrossARestart() throws Exception {
        TestGateway.Device device = gateway.device();
        String subscriberId = TestGateway.clientId("durable5");
        String prefix = "durable/" + subscriberId;
        Mqtt5BlockingClient subscriber = device.v5(subscriberId);
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(HOUR.toSeconds()).send();
        subscriber.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.EXACTLY_ONCE).send();
        subscriber.disconnect();

        Mqtt5BlockingClient publisher = device.v5(TestGateway.clientId("pub5"));
        publisher.connect();
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            MqttQos qos = i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE;
            String payload = "m" + i + "-" + qos;
            // send() returns after PUBACK (QoS 1) or PUBCOMP (QoS 2): the broker acknowledged it.
            publisher.publishWith().topic(prefix + "/data").payload(bytes(payload)).qos(qos).send();
            published.add(payload);
        }
        publisher.publishWith().topic(prefix + "/state").payload(bytes("retained")).qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
        published.add("retained");
        publisher.disconnect();

        restart();

        Mqtt5BlockingClient resumed = device.v5(subscriberId);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = resumed.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck connAck = resumed.connectWith().cleanStart(false).sessionExpiryInterval(HOUR.toSeconds()).send();
            assertThat(connAck.isSessionPresent()).as("session present after the restart").isTrue();
            List<String> received = new ArrayList<>();
            List<Mqtt5Publish> messages = new ArrayList<>();
            for (int i = 0; i < published.size(); i++) {
                Mqtt5Publish message = inbox.receive(10, TimeUnit.SECONDS).orElseThrow(
                        () -> new AssertionError("only " + received + " arrived of " + published));
                received.add(text(message.getPayloadAsBytes()));
                messages.add(message);
            }
            // Per MQTT 4.6, messages from one publisher on one topic arrive in order; across topics we still expect
            // the store's (publication) order.
            assertThat(received).containsExactlyElementsOf(published);
            assertThat(messages.get(1).getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(messages.get(0).getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(messages.getLast().isRetain()).as("forwarded, not sent because of a subscription").isFalse();

            // The subscription itself is back in the index: a message published now is delivered.
            Mqtt5BlockingClient later = device.v5(TestGateway.clientId("pub5b"));
            later.connect();
            later.publishWith().topic(prefix + "/after").payload(bytes("after")).qos(MqttQos.AT_LEAST_ONCE).send();
            later.disconnect();
            assertThat(inbox.receive(10, TimeUnit.SECONDS).map(m -> text(m.getPayloadAsBytes()))).contains("after");
        }
        resumed.disconnect();

        // The retained message survived too: a new subscriber gets it, flagged RETAIN.
        Mqtt5BlockingClient newcomer = device.v5(TestGateway.clientId("new5"));
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = newcomer.publishes(MqttGlobalPublishFilter.ALL)) {
            newcomer.connect();
            newcomer.subscribeWith().topicFilter(prefix + "/state").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish retained = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(retained.getPayloadAsBytes())).isEqualTo("retained");
            assertThat(retained.isRetain()).isTrue();
        }
        newcomer.disconnect();
    }

    @Test
    void anMqtt311PersistentSessionKeepsItsQueuedMessagesAcrossARestart() throws Exception {
        TestGateway.Device device = gateway.device();
        String subscriberId = TestGateway.clientId("durable3");
        String prefix = "durable/" + subscriberId;
        MqttClient subscriber = paho3(device, subscriberId, new LinkedBlockingQueue<>());
        subscriber.subscribe(prefix + "/#", 2);
        subscriber.disconnect();
        subscriber.close();

        Mqtt3BlockingClient publisher = device.v3(TestGateway.clientId("pub3"));
        publisher.connect();
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            MqttQos qos = i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE;
            String payload = "m" + i + "-" + qos;
            publisher.publishWith().topic(prefix + "/data").payload(bytes(payload)).qos(qos).send();
            published.add(payload);
        }
        publisher.publishWith().topic(prefix + "/state").payload(bytes("retained")).qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
        published.add("retained");
        publisher.disconnect();

        restart();

        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttClient resumed = new MqttClient("ssl://127.0.0.1:" + gateway.port(), subscriberId, new MemoryPersistence());
        resumed.setCallback(collector(inbox));
        IMqttToken connected = resumed.connectWithResult(options(device));
        assertThat(connected.getSessionPresent()).as("session present after the restart").isTrue();
        List<String> received = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            MqttMessage message = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("only %s arrived of %s", received, published).isNotNull();
            received.add(text(message.getPayload()));
        }
        // Paho hands a QoS 2 message to the application at PUBREL, later than the QoS 1 messages sent after it: the
        // order MQTT promises (MQTT 4.6) holds per QoS level.
        assertThat(received).containsExactlyInAnyOrderElementsOf(published);
        for (String level : List.of("AT_LEAST_ONCE", "EXACTLY_ONCE")) {
            assertThat(received.stream().filter(p -> p.endsWith(level)).toList())
                    .containsExactlyElementsOf(published.stream().filter(p -> p.endsWith(level)).toList());
        }
        resumed.disconnect();
        resumed.close();

        Mqtt3BlockingClient newcomer = device.v3(TestGateway.clientId("new3"));
        try (Mqtt3BlockingClient.Mqtt3Publishes retained = newcomer.publishes(MqttGlobalPublishFilter.ALL)) {
            newcomer.connect();
            newcomer.subscribeWith().topicFilter(prefix + "/state").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(retained.receive(10, TimeUnit.SECONDS).map(m -> text(m.getPayloadAsBytes()))).contains("retained");
        }
        newcomer.disconnect();
    }

    @Test
    void anExpiredSessionLeavesNothingInTheStore() throws Exception {
        TestGateway.Device device = gateway.device();
        String subscriberId = TestGateway.clientId("expiring");
        Mqtt5BlockingClient subscriber = device.v5(subscriberId);
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(1).send();
        subscriber.subscribeWith().topicFilter("expiring/" + subscriberId).qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();
        Mqtt5BlockingClient publisher = device.v5(TestGateway.clientId("pub-exp"));
        publisher.connect();
        publisher.publishWith().topic("expiring/" + subscriberId).payload(bytes("queued")).qos(MqttQos.AT_LEAST_ONCE).send();
        publisher.disconnect();
        assertThat(storedSession(subscriberId)).as("stored while it has not expired").isPresent();
        assertThat(storage.sessions().pending(subscriberId, 0, 10)).hasSize(1);

        // A readiness wait for the 1 s expiry, not a speed assertion.
        Instant giveUp = Instant.now().plusSeconds(30);
        while (storedSession(subscriberId).isPresent() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(100);
        }
        assertThat(storedSession(subscriberId)).as("deleted once expired").isEmpty();
        assertThat(storage.sessions().pending(subscriberId, 0, 10)).isEmpty();

        restart();
        Mqtt5BlockingClient again = device.v5(subscriberId);
        assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(1).send().isSessionPresent()).isFalse();
        again.disconnect();
    }

    @Test
    void aSessionThatExpiresWhileTheBrokerIsDownIsGoneAfterTheRestart() throws Exception {
        TestGateway.Device device = gateway.device();
        String subscriberId = TestGateway.clientId("expires-down");
        Mqtt5BlockingClient subscriber = device.v5(subscriberId);
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(1).send();
        subscriber.subscribeWith().topicFilter("down/" + subscriberId).qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();
        Instant disconnected = Instant.now();
        gateway.restart(() -> {
            storage.close();
            // Down for longer than the session expiry.
            sleepUntil(disconnected.plusMillis(1_500));
            storage = BrokerStorage.open(db.reopen(), Clock.systemUTC(), CommitSettings.DEFAULTS);
            return storage;
        });
        assertThat(storedSession(subscriberId)).isEmpty();
        Mqtt5BlockingClient again = device.v5(subscriberId);
        assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent()).isFalse();
        again.disconnect();
    }

    @Test
    void aPublishTheStoreCannotKeepIsNotAcknowledgedAsDurable() throws Exception {
        TestGateway.Device device = gateway.device();
        String subscriberId = TestGateway.clientId("unkept");
        Mqtt5BlockingClient subscriber = device.v5(subscriberId);
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(HOUR.toSeconds()).send();
        subscriber.subscribeWith().topicFilter("unkept/" + subscriberId).qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();
        Mqtt5BlockingClient v5 = device.v5(TestGateway.clientId("pub-unkept5"));
        v5.connect();
        Mqtt3BlockingClient v3 = device.v3(TestGateway.clientId("pub-unkept3"));
        v3.connect();
        // The store stops taking writes (as when it fails): queuing for the offline persistent session fails.
        storage.close();

        // MQTT 5: a negative PUBACK, 0x80 Unspecified error.
        Mqtt5PubAckException refused = catchThrowableOfType(Mqtt5PubAckException.class, () -> v5.publishWith()
                .topic("unkept/" + subscriberId).payload(bytes("lost")).qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR);
        // MQTT 3.1.1 has no negative PUBACK: the connection is closed and the message never acknowledged.
        assertThatThrownBy(() -> v3.publishWith().topic("unkept/" + subscriberId).payload(bytes("lost"))
                .qos(MqttQos.AT_LEAST_ONCE).send()).isInstanceOf(RuntimeException.class);
        assertThat(v3.getState().isConnected()).isFalse();
        v5.disconnect();
    }

    @Test
    void aCleanSessionIsNeverStored() throws Exception {
        TestGateway.Device device = gateway.device();
        String clientId = TestGateway.clientId("clean");
        Mqtt5BlockingClient client = device.v5(clientId);
        client.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        client.subscribeWith().topicFilter("clean/" + clientId).qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(storedSession(clientId)).isEmpty();
        client.disconnect();
    }

    private static void sleepUntil(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private Optional<StoredSession> storedSession(String clientId) {
        List<StoredSession> found = new ArrayList<>();
        storage.sessions().loadAll(session -> {
            if (session.clientId().equals(clientId)) {
                found.add(session);
            }
        });
        return found.stream().findFirst();
    }

    private MqttConnectOptions options(TestGateway.Device device) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(device.sslContext().getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(false);
        options.setAutomaticReconnect(false);
        options.setCleanSession(false);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        return options;
    }

    private MqttClient paho3(TestGateway.Device device, String clientId, BlockingQueue<MqttMessage> inbox) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + gateway.port(), clientId, new MemoryPersistence());
        client.setCallback(collector(inbox));
        client.connect(options(device));
        return client;
    }

    private static MqttCallback collector(BlockingQueue<MqttMessage> inbox) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        };
    }
}
