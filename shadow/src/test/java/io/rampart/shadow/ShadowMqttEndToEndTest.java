package io.rampart.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.broker.Authentication;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import io.rampart.broker.MqttBroker;
import io.rampart.broker.Principal;
import io.rampart.common.AwsScope;
import io.rampart.common.Json;
import io.rampart.common.RampartException;
import io.rampart.messaging.AuthenticationFailureReason;
import io.rampart.messaging.Registration;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.CertificateId;
import io.rampart.pki.IssuedCredentials;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.TlsContexts;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.registry.Registry;
import io.rampart.store.Database;
import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Devices over mutual TLS with the HiveMQ MQTT 5 client against the real gateway, the shadow service serving
 * the reserved topics, and a policy that gives each device its own thing's shadow topics only.
 */
@DatabaseTest(Dialect.SQLITE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShadowMqttEndToEndTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final AwsScope SCOPE = AwsScope.defaults();
    private static final String ARN = "arn:aws:iot:" + SCOPE.region() + ":" + SCOPE.accountId() + ":";
    /** A device may connect as its thing and use that thing's shadow topics, nothing else. */
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "%1$sclient/*"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": "%1$stopic/$aws/things/${iot:ClientId}/shadow/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": "%1$stopicfilter/$aws/things/${iot:ClientId}/shadow/*"}
            ]}""".formatted(ARN);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Clock clock = Clock.systemUTC();
    private CertificateAuthority ca;
    private Registry registry;
    private ShadowService shadows;
    private MqttBroker broker;
    private Registration served;
    private ExecutorService blocking;

    @BeforeAll
    void start(TestDatabase testDb) {
        SecureRandom random = new SecureRandom();
        ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Shadow E2E CA", clock, random);
        PolicyEngine engine = new PolicyEngine(SCOPE, clock);
        Database db = testDb.database();
        registry = Registry.open(db, ca, engine, SCOPE, clock);
        List<NamedPolicy> policies = List.of(new NamedPolicy("shadow-device", "1", PolicyDocument.parse(POLICY)));
        blocking = Executors.newVirtualThreadPerTaskExecutor();
        BrokerLimits aws = BrokerLimits.awsDefaults();
        // AWS allows one CONNECT per client id per second; the offline-device test reconnects at once.
        BrokerLimits limits = aws.withMinConnectInterval(Duration.ZERO);
        broker = new MqttBroker(BrokerConfig.of(SCOPE, new BrokerConfig.TlsListener("127.0.0.1", 0,
                ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256)))
                .withLimits(limits),
                credentials -> ca.issued(credentials.leaf())
                        ? new Authentication.Accepted(new Principal.Certificate(CertificateId.of(credentials.leaf())))
                        : new Authentication.Rejected(AuthenticationFailureReason.UNKNOWN_CERTIFICATE, "unknown issuer"),
                query -> engine.evaluate(policies, new AuthorizationRequest(query.action(), query.resource(),
                        RequestContext.builder().clientId(query.clientId()).sourceIp(query.sourceIp()).build())),
                blocking, clock);
        broker.start();
        shadows = ShadowService.open(db, registry.things(), broker, clock);
        served = shadows.serveMqtt();
    }

    @AfterAll
    void stop() {
        served.close();
        broker.close();
        blocking.close();
    }

    private String newThing() {
        String name = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        registry.things().create(name, null, Map.of());
        return name;
    }

    private Mqtt5BlockingClient client(String clientId) throws Exception {
        return client(clientId, ca.createKeysAndCertificate(KeyAlgorithm.EC_P256));
    }

    private Mqtt5BlockingClient client(String clientId, IssuedCredentials credentials) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = TlsContexts.keyStore(List.of(credentials.certificate()), credentials.keyPair().getPrivate(), password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(ca.certificate())));
        MqttClientSslConfig ssl = MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(broker.tlsPort())
                .sslConfig(ssl).buildBlocking();
    }

    private static void publish(Mqtt5BlockingClient client, String topic, String payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.replace('\'', '"').getBytes(StandardCharsets.UTF_8)).send();
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes, String topic) throws Exception {
        Optional<Mqtt5Publish> received = publishes.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received).as("a message on " + topic).isPresent();
        assertThat(received.get().getTopic().toString()).isEqualTo(topic);
        return received.get();
    }

    private static JsonNode body(Mqtt5Publish publish) throws Exception {
        return JSON.readTree(publish.getPayloadAsBytes());
    }

    @Test
    void deviceUpdatesGetsAndIsRejectedOverMqtt() throws Exception {
        String thing = newThing();
        String prefix = "$aws/things/" + thing + "/shadow/";
        Mqtt5BlockingClient device = client(thing);
        device.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            // Reply topics only: the echo of the device's own request could arrive before or after the reply.
            device.subscribeWith().topicFilter(prefix + "update/+").qos(MqttQos.AT_LEAST_ONCE).send();
            device.subscribeWith().topicFilter(prefix + "get/+").qos(MqttQos.AT_LEAST_ONCE).send();

            publish(device, prefix + "update", "{'state':{'desired':{'led':'on'}},'clientToken':'c-1'}");
            JsonNode accepted = body(next(publishes, prefix + "update/accepted"));
            assertThat(accepted.get("version").asLong()).isEqualTo(1);
            assertThat(accepted.get("clientToken").asText()).isEqualTo("c-1");
            assertThat(body(next(publishes, prefix + "update/documents")).get("current").get("version").asLong()).isEqualTo(1);
            assertThat(body(next(publishes, prefix + "update/delta")).get("state").get("led").asText()).isEqualTo("on");

            publish(device, prefix + "get", "{'clientToken':'g-1'}");
            JsonNode got = body(next(publishes, prefix + "get/accepted"));
            assertThat(got.get("state").get("delta").get("led").asText()).isEqualTo("on");
            assertThat(got.get("clientToken").asText()).isEqualTo("g-1");

            publish(device, prefix + "update", "{'state':{'reported':{'led':'on'}},'version':1}");
            assertThat(body(next(publishes, prefix + "update/accepted")).get("version").asLong()).isEqualTo(2);
            next(publishes, prefix + "update/documents");

            publish(device, prefix + "update", "{'state':{'reported':{'led':'off'}},'version':1,'clientToken':'stale'}");
            JsonNode rejected = body(next(publishes, prefix + "update/rejected"));
            assertThat(rejected.get("code").asInt()).isEqualTo(409);
            assertThat(rejected.get("message").asText()).isEqualTo("Version conflict");
            assertThat(rejected.get("clientToken").asText()).isEqualTo("stale");

            publish(device, prefix + "update", "{'state':");
            assertThat(body(next(publishes, prefix + "update/rejected")).get("message").asText()).isEqualTo("Invalid JSON");
        } finally {
            device.disconnect();
        }
        assertThat(shadows.get(ShadowKey.classic(thing)).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void anOperatorsUpdateReachesTheSubscribedDeviceAsADelta() throws Exception {
        String thing = newThing();
        String prefix = "$aws/things/" + thing + "/shadow/name/config/";
        Mqtt5BlockingClient device = client(thing);
        device.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter(prefix + "update/delta").qos(MqttQos.AT_LEAST_ONCE).send();
            // The data-plane path: the same service call UpdateThingShadow makes.
            shadows.update(new ShadowKey(thing, "config"), "{\"state\":{\"desired\":{\"rate\":5}}}".getBytes(StandardCharsets.UTF_8));
            JsonNode delta = body(next(publishes, prefix + "update/delta"));
            assertThat(delta.get("state").get("rate").asInt()).isEqualTo(5);
            assertThat(delta.get("version").asLong()).isEqualTo(1);
        } finally {
            device.disconnect();
        }
    }

    @Test
    void aDeltaSetWhileTheDeviceIsOfflineIsDeliveredWhenItComesBack() throws Exception {
        String thing = newThing();
        String deltaTopic = "$aws/things/" + thing + "/shadow/update/delta";
        IssuedCredentials credentials = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256);
        Mqtt5BlockingClient device = client(thing, credentials);
        device.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        device.subscribeWith().topicFilter(deltaTopic).qos(MqttQos.AT_LEAST_ONCE).send();
        device.disconnect();

        shadows.update(ShadowKey.classic(thing), "{\"state\":{\"desired\":{\"fan\":3}}}".getBytes(StandardCharsets.UTF_8));

        Mqtt5BlockingClient back = client(thing, credentials);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            boolean sessionPresent = back.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent();
            assertThat(sessionPresent).isTrue();
            JsonNode delta = body(next(publishes, deltaTopic));
            assertThat(delta.get("state").get("fan").asInt()).isEqualTo(3);
        } finally {
            if (back.getState().isConnected()) {
                back.disconnect();
            }
        }
    }

    @Test
    void interleavedOperatorAndDeviceUpdatesAreAllAppliedInVersionOrder() throws Exception {
        String thing = newThing();
        String prefix = "$aws/things/" + thing + "/shadow/";
        ShadowKey key = ShadowKey.classic(thing);
        Mqtt5BlockingClient device = client(thing);
        device.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter(prefix + "update/accepted").qos(MqttQos.AT_LEAST_ONCE).send();
            long lastVersion = 0;
            for (int i = 0; i < 5; i++) {
                long operatorVersion = shadows.update(key, ("{\"state\":{\"desired\":{\"step\":" + i + "}}}")
                        .getBytes(StandardCharsets.UTF_8)).get("version").asLong();
                assertThat(body(next(publishes, prefix + "update/accepted")).get("version").asLong()).isEqualTo(operatorVersion);
                publish(device, prefix + "update", "{'state':{'reported':{'step':" + i + "}}}");
                long deviceVersion = body(next(publishes, prefix + "update/accepted")).get("version").asLong();
                assertThat(operatorVersion).isGreaterThan(lastVersion);
                assertThat(deviceVersion).isEqualTo(operatorVersion + 1);
                lastVersion = deviceVersion;
            }
        } finally {
            device.disconnect();
        }
        JsonNode doc = shadows.get(key);
        assertThat(doc.get("version").asLong()).isEqualTo(10);
        assertThat(doc.get("state").has("delta")).isFalse();
        assertThat(doc.get("state").get("reported").get("step").asInt()).isEqualTo(4);
    }

    @Test
    void aDeviceCannotTouchAnotherThingsShadow() throws Exception {
        String mine = newThing();
        String theirs = newThing();
        Mqtt5BlockingClient device = client(mine);
        device.connect();
        try {
            assertThatThrownBy(() -> publish(device, "$aws/things/" + theirs + "/shadow/update",
                    "{'state':{'desired':{'door':'open'}}}"))
                    .isInstanceOf(Mqtt5PubAckException.class);
        } finally {
            if (device.getState().isConnected()) {
                device.disconnect();
            }
        }
        assertThatThrownBy(() -> shadows.get(ShadowKey.classic(theirs)))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.getMessage()).startsWith("No shadow exists"));
    }
}
