package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.broker.BrokerLimits;
import io.rampart.store.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MQTT 5 message expiry interval (§3.3.2.3.3), on a broker whose clock the test moves: a message that expired
 * while queued or retained is not delivered (MQTT-3.3.2-5), and one that did not is forwarded with the interval minus
 * the time it waited (MQTT-3.3.2-6).
 */
class MessageExpiryTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    static TestGateway gateway;
    static Mqtt5BlockingClient publisher;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults().withMinConnectInterval(Duration.ZERO)),
                CLOCK);
        publisher = gateway.device().v5(TestGateway.clientId("expiry-pub"));
        publisher.connect();
    }

    @AfterAll
    static void stop() {
        publisher.disconnect();
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static void publish(String topic, String payload, Long expirySeconds, boolean retain) {
        var builder = publisher.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).retain(retain);
        if (expirySeconds != null) {
            builder.messageExpiryInterval(expirySeconds);
        }
        builder.send();
    }

    private static String payload(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aQueuedMessageThatExpiredIsDroppedAndTheOthersCarryTheirRemainingInterval() throws Exception {
        String clientId = TestGateway.clientId("expiry-queued");
        Mqtt5BlockingClient subscriber = gateway.device().v5(clientId);
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        subscriber.subscribeWith().topicFilter("mx/queued").qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();

        publish("mx/queued", "short", 10L, false);
        publish("mx/queued", "long", 100L, false);
        publish("mx/queued", "forever", null, false);
        CLOCK.advance(Duration.ofSeconds(30));

        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
            Mqtt5Publish first = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(payload(first)).as("the first message delivered (the 10 s one expired)").isEqualTo("long");
            assertThat(first.getMessageExpiryInterval()).isEqualTo(OptionalLong.of(70));
            Mqtt5Publish second = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(payload(second)).isEqualTo("forever");
            assertThat(second.getMessageExpiryInterval()).isEmpty();
        }
        subscriber.disconnect();
    }

    @Test
    void anExpiredRetainedMessageIsNotSentAndALiveOneCarriesItsRemainingInterval() throws Exception {
        publish("mx/retained/short", "short", 10L, true);
        publish("mx/retained/long", "long", 100L, true);
        CLOCK.advance(Duration.ofSeconds(40));
        Mqtt5BlockingClient subscriber = gateway.device().v5(TestGateway.clientId("expiry-retained"));
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("mx/retained/+").qos(MqttQos.AT_LEAST_ONCE).send();
            publish("mx/retained/marker", "marker", null, false);
            Mqtt5Publish retained = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(payload(retained)).isEqualTo("long");
            assertThat(retained.isRetain()).isTrue();
            assertThat(retained.getMessageExpiryInterval()).isEqualTo(OptionalLong.of(60));
            assertThat(payload(inbox.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("marker");
        }
        subscriber.disconnect();
    }

    @Test
    void aLiveDeliveryForwardsTheIntervalAsPublished() throws Exception {
        Mqtt5BlockingClient subscriber = gateway.device().v5(TestGateway.clientId("expiry-live"));
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("mx/live").qos(MqttQos.AT_LEAST_ONCE).send();
            publish("mx/live", "now", 45L, false);
            assertThat(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getMessageExpiryInterval()).isEqualTo(OptionalLong.of(45));
        }
        subscriber.disconnect();
    }
}
