package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 subscription options and identifiers (§3.8.3.1, §3.8.2.1.2): retain handling 0/1/2, retain-as-published,
 * no-local, subscription identifiers on live and retained deliveries, and shared subscriptions.
 */
class SubscriptionOptionsTest {
    static TestGateway gateway;
    static Mqtt5BlockingClient publisher;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults().withMinConnectInterval(Duration.ZERO)));
        publisher = gateway.device().v5(TestGateway.clientId("options-pub"));
        publisher.connect();
    }

    @AfterAll
    static void stop() {
        publisher.disconnect();
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static Mqtt5BlockingClient connected(String prefix) {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId(prefix));
        client.connect();
        return client;
    }

    private static void publish(String topic, String payload, boolean retain) {
        publisher.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).retain(retain)
                .qos(MqttQos.AT_LEAST_ONCE).send();
    }

    private static String payload(Mqtt5BlockingClient.Mqtt5Publishes inbox) throws InterruptedException {
        return new String(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static void subscribe(Mqtt5BlockingClient client, String filter, Mqtt5RetainHandling handling) {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).retainHandling(handling).send();
    }

    private static List<Integer> subscriptionIdentifiers(MqttPublishMessage publish) {
        return publish.variableHeader().properties().getProperties(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())
                .stream().map(p -> (Integer) p.value()).sorted().toList();
    }

    private static MqttProperties subscriptionIdentifier(int id) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        return properties;
    }

    @Test
    void retainHandling0SendsRetainedMessagesOnEverySubscribe() throws Exception {
        publish("rh0/state", "on", true);
        Mqtt5BlockingClient client = connected("rh0");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL)) {
            subscribe(client, "rh0/+", Mqtt5RetainHandling.SEND);
            assertThat(payload(inbox)).isEqualTo("on");
            subscribe(client, "rh0/+", Mqtt5RetainHandling.SEND);
            assertThat(payload(inbox)).isEqualTo("on");
        }
        client.disconnect();
    }

    @Test
    void retainHandling1SendsRetainedMessagesOnlyForANewSubscription() throws Exception {
        publish("rh1/state", "on", true);
        Mqtt5BlockingClient client = connected("rh1");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL)) {
            subscribe(client, "rh1/+", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST);
            assertThat(payload(inbox)).isEqualTo("on");
            subscribe(client, "rh1/+", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST);
            publish("rh1/marker", "marker", false);
            assertThat(payload(inbox)).as("the retained message again, before the marker").isEqualTo("marker");
        }
        client.disconnect();
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOfLiveDeliveries() throws Exception {
        Mqtt5BlockingClient keeping = connected("rap-keep");
        Mqtt5BlockingClient clearing = connected("rap-clear");
        try (Mqtt5BlockingClient.Mqtt5Publishes keepingInbox = keeping.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes clearingInbox = clearing.publishes(MqttGlobalPublishFilter.ALL)) {
            keeping.subscribeWith().topicFilter("rap/live").qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send();
            clearing.subscribeWith().topicFilter("rap/live").qos(MqttQos.AT_LEAST_ONCE).send();
            publish("rap/live", "now", true);
            assertThat(keepingInbox.receive(5, TimeUnit.SECONDS).orElseThrow().isRetain()).isTrue();
            // MQTT-3.3.1-12: without retain-as-published a live delivery has RETAIN=0.
            assertThat(clearingInbox.receive(5, TimeUnit.SECONDS).orElseThrow().isRetain()).isFalse();
        }
        publish("rap/live", "", true);
        keeping.disconnect();
        clearing.disconnect();
    }

    @Test
    void aDeliveryCarriesTheIdentifiersOfEveryMatchingSubscription() throws Exception {
        try (WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            client.connect(TestGateway.clientId("subid"), MqttProperties.NO_PROPERTIES);
            client.subscribe(1, "subid/+", MqttQoS.AT_LEAST_ONCE, subscriptionIdentifier(5));
            client.subscribe(2, "subid/#", MqttQoS.AT_LEAST_ONCE, subscriptionIdentifier(268_435_455));
            publish("subid/a", "both", false);
            MqttPublishMessage both = (MqttPublishMessage) client.expect(MqttMessageType.PUBLISH);
            // One copy with every identifier (MQTT-3.3.4-3, MQTT-3.3.4-5).
            assertThat(subscriptionIdentifiers(both)).containsExactly(5, 268_435_455);
            client.acknowledge(MqttMessageType.PUBACK, both.variableHeader().packetId());
            client.subscribe(3, "subid/#", MqttQoS.AT_LEAST_ONCE, MqttProperties.NO_PROPERTIES);
            publish("subid/a", "one", false);
            MqttPublishMessage one = (MqttPublishMessage) client.expect(MqttMessageType.PUBLISH);
            assertThat(subscriptionIdentifiers(one)).as("after re-subscribing without an identifier").containsExactly(5);
        }
    }

    @Test
    void aRetainedMessageSentOnSubscribeCarriesTheSubscriptionIdentifier() throws Exception {
        publish("subid-retained/state", "kept", true);
        try (WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            client.connect(TestGateway.clientId("subid-retained"), MqttProperties.NO_PROPERTIES);
            client.subscribe(1, "subid-retained/+", MqttQoS.AT_LEAST_ONCE, subscriptionIdentifier(9));
            MqttPublishMessage retained = (MqttPublishMessage) client.expect(MqttMessageType.PUBLISH);
            assertThat(retained.fixedHeader().isRetain()).isTrue();
            assertThat(subscriptionIdentifiers(retained)).containsExactly(9);
        }
    }

    @Test
    void aSubscriptionIdentifierOfZeroIsAProtocolError() throws Exception {
        try (WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            client.connect(TestGateway.clientId("subid-zero"), MqttProperties.NO_PROPERTIES);
            client.sendSubscribe(1, "subid/zero", MqttSubscriptionOption.onlyFromQos(MqttQoS.AT_LEAST_ONCE), subscriptionIdentifier(0));
            assertThat(client.disconnectReason()).isEqualTo(0x82);
        }
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() throws Exception {
        try (WireClient client = new WireClient(gateway.device().sslContext(), gateway.port())) {
            client.connect(TestGateway.clientId("nolocal-shared"), MqttProperties.NO_PROPERTIES);
            client.sendSubscribe(1, "$share/group/nolocal/x", new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, true, false,
                    MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE), MqttProperties.NO_PROPERTIES);
            assertThat(client.disconnectReason()).isEqualTo(0x82);
        }
    }

    @Test
    void aSharedSubscriptionGetsNoRetainedMessagesOnSubscribe() throws Exception {
        publish("shared-retained/state", "kept", true);
        Mqtt5BlockingClient member = connected("shared-retained");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = member.publishes(MqttGlobalPublishFilter.ALL)) {
            member.subscribeWith().topicFilter("$share/g/shared-retained/+").qos(MqttQos.AT_LEAST_ONCE).send();
            publish("shared-retained/marker", "marker", false);
            assertThat(payload(inbox)).isEqualTo("marker");
        }
        member.disconnect();
    }

    @Test
    void aSharedSubscriptionDeliversToTheMembersStillConnected() throws Exception {
        Mqtt5BlockingClient staying = connected("shared-stay");
        Mqtt5BlockingClient leaving = connected("shared-leave");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = staying.publishes(MqttGlobalPublishFilter.ALL)) {
            staying.subscribeWith().topicFilter("$share/pool/pool/+").qos(MqttQos.AT_LEAST_ONCE).send();
            leaving.subscribeWith().topicFilter("$share/pool/pool/+").qos(MqttQos.AT_LEAST_ONCE).send();
            leaving.disconnect();
            for (int i = 0; i < 4; i++) {
                publish("pool/" + i, "job-" + i, false);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(payload(inbox)).isEqualTo("job-" + i);
            }
        }
        staying.disconnect();
    }

    @Test
    void receivedPublishesReachNoLocalSubscribersOfOtherClients() throws Exception {
        Mqtt5BlockingClient sender = connected("nolocal-sender");
        Mqtt5BlockingClient other = connected("nolocal-other");
        try (Mqtt5BlockingClient.Mqtt5Publishes senderInbox = sender.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes otherInbox = other.publishes(MqttGlobalPublishFilter.ALL)) {
            sender.subscribeWith().topicFilter("nolocal/room").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
            other.subscribeWith().topicFilter("nolocal/room").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
            sender.publishWith().topic("nolocal/room").payload("hello".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(payload(otherInbox)).isEqualTo("hello");
            other.publishWith().topic("nolocal/room").payload("reply".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();
            // The first message the sender gets is the other client's reply, never its own hello.
            assertThat(payload(senderInbox)).isEqualTo("reply");
        }
        sender.disconnect();
        other.disconnect();
    }
}
