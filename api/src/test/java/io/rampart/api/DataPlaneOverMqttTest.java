package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.broker.Authentication;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.MqttBroker;
import io.rampart.broker.Principal;
import io.rampart.common.AwsScope;
import io.rampart.common.Json;
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
import io.rampart.shadow.ShadowService;
import io.rampart.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;

/**
 * The data plane on the real MQTT gateway: an operator with the AWS SDK's IotDataPlaneClient and a device over
 * mutual TLS with the HiveMQ client share one shadow and one topic space.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneOverMqttTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final AwsScope SCOPE = AwsScope.defaults();
    private static final String ARN = "arn:aws:iot:" + SCOPE.region() + ":" + SCOPE.accountId() + ":";
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "%1$sclient/*"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": ["%1$stopic/$aws/things/${iot:ClientId}/shadow/*", "%1$stopic/cmd/${iot:ClientId}"]},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": ["%1$stopicfilter/$aws/things/${iot:ClientId}/shadow/*", "%1$stopicfilter/cmd/${iot:ClientId}"]}
            ]}""".formatted(ARN);

    private final Clock clock = Clock.systemUTC();
    private Path directory;
    private Database database;
    private CertificateAuthority ca;
    private Registry registry;
    private MqttBroker broker;
    private ExecutorService blocking;
    private Registration served;
    private ApiServer api;
    private SdkHttpClient http;
    private IotDataPlaneClient operator;

    @BeforeAll
    void start() throws Exception {
        SecureRandom random = new SecureRandom();
        directory = Files.createTempDirectory("rampart-dataplane-mqtt");
        database = Database.open("jdbc:sqlite:" + directory.resolve("rampart.db"));
        ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Data plane test CA", clock, random);
        PolicyEngine engine = new PolicyEngine(SCOPE, clock);
        registry = Registry.open(database, ca, engine, SCOPE, clock);
        List<NamedPolicy> policies = List.of(new NamedPolicy("device", "1", PolicyDocument.parse(POLICY)));
        blocking = Executors.newVirtualThreadPerTaskExecutor();
        broker = new MqttBroker(BrokerConfig.of(SCOPE, new BrokerConfig.TlsListener("127.0.0.1", 0,
                ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256))),
                credentials -> ca.issued(credentials.leaf())
                        ? new Authentication.Accepted(new Principal.Certificate(CertificateId.of(credentials.leaf())))
                        : new Authentication.Rejected(AuthenticationFailureReason.UNKNOWN_CERTIFICATE, "unknown issuer"),
                query -> engine.evaluate(policies, new AuthorizationRequest(query.action(), query.resource(),
                        RequestContext.builder().clientId(query.clientId()).sourceIp(query.sourceIp()).build())),
                blocking, clock);
        broker.start();
        ShadowService shadows = ShadowService.open(database, registry.things(), broker, clock);
        served = shadows.serveMqtt();
        AccessKeys keys = new AccessKeys(database, "data plane test secret, 32 bytes".getBytes(StandardCharsets.UTF_8), clock, random);
        AccessKeys.NewAccessKey admin = keys.bootstrapAdmin().orElseThrow();
        api = ApiServer.start(ApiConfig.of("127.0.0.1", 0,
                        TlsContexts.server(ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256)),
                        SCOPE, "localhost"),
                new ApiServices(registry, ca, keys, clock, new DataPlane(shadows, broker)));
        TrustManager[] trust = {TlsContexts.trustManager(List.of(ca.certificate()))};
        http = ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trust).build();
        operator = IotDataPlaneClient.builder()
                .endpointOverride(java.net.URI.create("https://127.0.0.1:" + api.port()))
                .region(Region.of(SCOPE.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(admin.key().accessKeyId(), admin.secretAccessKey())))
                .httpClient(http)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        operator.close();
        http.close();
        api.close();
        served.close();
        broker.close();
        blocking.close();
        database.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Mqtt5BlockingClient device(String thing) throws Exception {
        IssuedCredentials credentials = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256);
        char[] password = "test".toCharArray();
        KeyStore keys = TlsContexts.keyStore(List.of(credentials.certificate()), credentials.keyPair().getPrivate(), password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(ca.certificate())));
        MqttClientSslConfig ssl = MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(thing).serverHost("127.0.0.1")
                .serverPort(broker.tlsPort()).sslConfig(ssl).buildBlocking();
        client.connect();
        return client;
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes, String topic) throws Exception {
        Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(received).as("a message on " + topic).isPresent();
        assertThat(received.get().getTopic().toString()).isEqualTo(topic);
        return received.get();
    }

    private static SdkBytes doc(String json) {
        return SdkBytes.fromUtf8String(json.replace('\'', '"'));
    }

    @Test
    void httpAndMqttUpdatesInterleaveOnOneShadow() throws Exception {
        String thing = "lamp-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        registry.things().create(thing, null, Map.of());
        String prefix = "$aws/things/" + thing + "/shadow/";
        Mqtt5BlockingClient device = device(thing);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter(prefix + "update/accepted").qos(MqttQos.AT_LEAST_ONCE).send();
            device.subscribeWith().topicFilter(prefix + "update/delta").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int level = 1; level <= 3; level++) {
                int wanted = level;
                operator.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':{'desired':{'level':" + wanted + "}}}")));
                next(publishes, prefix + "update/accepted");
                JsonNode delta = JSON.readTree(next(publishes, prefix + "update/delta").getPayloadAsBytes());
                assertThat(delta.get("state").get("level").asInt()).isEqualTo(level);

                device.publishWith().topic(prefix + "update").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"state\":{\"reported\":{\"level\":" + level + "}},\"version\":" + delta.get("version").asLong() + "}")
                                .getBytes(StandardCharsets.UTF_8)).send();
                JsonNode accepted = JSON.readTree(next(publishes, prefix + "update/accepted").getPayloadAsBytes());
                assertThat(accepted.get("version").asLong()).isEqualTo(delta.get("version").asLong() + 1);

                JsonNode got = JSON.readTree(operator.getThingShadow(r -> r.thingName(thing)).payload().asByteArray());
                assertThat(got.get("state").has("delta")).isFalse();
                assertThat(got.get("version").asLong()).isEqualTo(2L * level);
            }
        } finally {
            device.disconnect();
        }
    }

    @Test
    void publishOverHttpReachesTheSubscribedDevice() throws Exception {
        String thing = "sensor-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Mqtt5BlockingClient device = device(thing);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("cmd/" + thing).qos(MqttQos.AT_LEAST_ONCE).send();
            operator.publish(r -> r.topic("cmd/" + thing).qos(1).payload(SdkBytes.fromUtf8String("reboot")));
            assertThat(next(publishes, "cmd/" + thing).getPayloadAsBytes()).isEqualTo("reboot".getBytes(StandardCharsets.UTF_8));
        } finally {
            device.disconnect();
        }
    }
}
