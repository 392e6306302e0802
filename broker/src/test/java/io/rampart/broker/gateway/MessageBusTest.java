package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.messaging.ConnectionEvent;
import io.rampart.messaging.Delivery;
import io.rampart.messaging.Message;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Registration;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** In-process services talk to devices through the broker's MessageBus, without Netty. */
class MessageBusTest {
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

    @Test
    void aServiceSubscriptionReceivesDevicePublicationsInOrderWithTheirOrigin() throws Exception {
        BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        String clientId = TestGateway.clientId("sensor");
        try (Registration ignored = gateway.broker.subscribe(new TopicFilter("telemetry/+"), QoS.AT_LEAST_ONCE, received::add)) {
            Mqtt5BlockingClient device = gateway.device().v5(clientId);
            device.connect();
            for (int i = 0; i < 20; i++) {
                device.publishWith().topic("telemetry/" + clientId).payload(new byte[]{(byte) i}).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Delivery delivery = received.poll(5, TimeUnit.SECONDS);
                assertThat(delivery).isNotNull();
                assertThat(delivery.origin()).isInstanceOfSatisfying(Origin.Client.class,
                        client -> assertThat(client.connection().clientId()).isEqualTo(clientId));
                order.add((int) delivery.message().payload()[0]);
            }
            assertThat(order).isSorted().hasSize(20);
            device.disconnect();
        }
    }

    @Test
    void aServicePublicationReachesSubscribedDevices() throws Exception {
        Mqtt5BlockingClient device = gateway.device().v5(TestGateway.clientId("listener"));
        device.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
            gateway.broker.publish(new Origin.Service("jobs"), Message.of(new Topic("commands/reboot"),
                    "now".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            Mqtt5Publish command = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(command.getTopic().toString()).isEqualTo("commands/reboot");
        }
        device.disconnect();
    }

    @Test
    void devicesMayPublishToAReservedTopicWhereAServiceListens() throws Exception {
        BlockingQueue<Delivery> requests = new LinkedBlockingQueue<>();
        try (Registration ignored = gateway.broker.handleReserved(new TopicFilter("$aws/things/+/shadow/update"), requests::add)) {
            Mqtt5BlockingClient device = gateway.device().v5(TestGateway.clientId("shadowed"));
            device.connect();
            device.publishWith().topic("$aws/things/lamp/shadow/update").payload("{}".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            Delivery request = requests.poll(5, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.message().topic().value()).isEqualTo("$aws/things/lamp/shadow/update");
            device.disconnect();
        }
    }

    @Test
    void connectionListenersSeeConnectAndDisconnect() throws Exception {
        BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
        String clientId = TestGateway.clientId("observed");
        try (Registration ignored = gateway.broker.onConnectionEvent(event -> {
            if (event.connection().clientId().equals(clientId)) {
                events.add(event);
            }
        })) {
            Mqtt5BlockingClient device = gateway.device().v5(clientId);
            device.connect();
            device.disconnect();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isInstanceOf(ConnectionEvent.Connected.class);
            assertThat(events.poll(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(ConnectionEvent.Disconnected.class,
                    disconnected -> assertThat(disconnected.clientInitiated()).isTrue());
        }
    }
}
