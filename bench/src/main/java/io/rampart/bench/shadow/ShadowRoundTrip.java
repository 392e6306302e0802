package io.rampart.bench.shadow;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.rampart.broker.Authentication;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import io.rampart.broker.MqttBroker;
import io.rampart.broker.Principal;
import io.rampart.common.AwsScope;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;

/**
 * Shadow updates through MQTT end to end: N devices over mutual TLS, each publishing {@code update} and waiting for
 * its {@code update/accepted} (one request in flight per device), against an in-process gateway, registry and
 * shadow service on SQLite (default, a temporary file) or PostgreSQL. Prints updates per second and latency
 * percentiles of update -> accepted.
 *
 * <pre>java -cp 'bench/target/rampart-bench.jar:bench/target/lib/*' io.rampart.bench.shadow.ShadowRoundTrip
 *      [jdbc-url] [devices] [updates-per-device]</pre>
 */
public final class ShadowRoundTrip {
    private static final AwsScope SCOPE = AwsScope.defaults();

    private ShadowRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        Path temp = Files.createTempDirectory("rampart-shadow-bench");
        String jdbcUrl = args.length > 0 ? args[0] : "jdbc:sqlite:" + temp.resolve("bench.db");
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int updates = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Shadow Bench CA", clock, random);
        PolicyEngine engine = new PolicyEngine(SCOPE, clock);
        String arn = "arn:aws:iot:" + SCOPE.region() + ":" + SCOPE.accountId() + ":";
        List<NamedPolicy> policies = List.of(new NamedPolicy("bench", "1", PolicyDocument.parse("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "iot:Connect", "Resource": "%1$sclient/*"},
                  {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "%1$stopic/$aws/things/${iot:ClientId}/shadow/*"},
                  {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "%1$stopicfilter/$aws/things/${iot:ClientId}/shadow/*"}
                ]}""".formatted(arn))));
        BrokerLimits aws = BrokerLimits.awsDefaults();
        // AWS caps a connection at 100 publishes per second; the benchmark measures the service, not that quota.
        BrokerLimits limits = aws.withMaxPublishesPerSecond(1_000_000);
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        try (Database db = Database.open(jdbcUrl);
             MqttBroker broker = new MqttBroker(BrokerConfig.of(SCOPE, new BrokerConfig.TlsListener("127.0.0.1", 0,
                     ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256)))
                     .withLimits(limits),
                     credentials -> ca.issued(credentials.leaf())
                             ? new Authentication.Accepted(new Principal.Certificate(CertificateId.of(credentials.leaf())))
                             : new Authentication.Rejected(AuthenticationFailureReason.UNKNOWN_CERTIFICATE, "unknown issuer"),
                     query -> engine.evaluate(policies, new AuthorizationRequest(query.action(), query.resource(),
                             RequestContext.builder().clientId(query.clientId()).sourceIp(query.sourceIp()).build())),
                     blocking, clock)) {
            broker.start();
            Registry registry = Registry.open(db, ca, engine, SCOPE, clock);
            ShadowService shadows = ShadowService.open(db, registry.things(), broker, clock);
            IssuedCredentials credentials = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256);
            MqttClientSslConfig tls = tls(ca, credentials);
            String run = Long.toString(System.nanoTime(), 36);
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            try (Registration served = shadows.serveMqtt(); ExecutorService threads = Executors.newFixedThreadPool(devices)) {
                List<Future<Histogram>> results = new ArrayList<>();
                long start = System.nanoTime();
                for (int d = 0; d < devices; d++) {
                    String thing = "bench-" + run + "-" + d;
                    registry.things().create(thing, null, Map.of());
                    results.add(threads.submit(() -> device(broker.tlsPort(), tls, thing, updates)));
                }
                for (Future<Histogram> result : results) {
                    latency.add(result.get());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long total = latency.getTotalCount();
                System.out.printf("%s: %d devices x %d updates = %d accepted in %.2f s -> %.0f updates/s%n",
                        db.dialect(), devices, updates, total, seconds, total / seconds);
                System.out.printf("update -> accepted latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                        latency.getMaxValue() / 1e6);
            }
        } finally {
            blocking.close();
            try (Stream<Path> files = Files.walk(temp)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static Histogram device(int port, MqttClientSslConfig tls, String thing, int updates) throws Exception {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        String prefix = "$aws/things/" + thing + "/shadow/";
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(thing).serverHost("127.0.0.1").serverPort(port)
                .sslConfig(tls).buildBlocking();
        client.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes replies = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter(prefix + "update/accepted").qos(MqttQos.AT_LEAST_ONCE).send();
            client.subscribeWith().topicFilter(prefix + "update/rejected").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < updates; i++) {
                byte[] payload = ("{\"state\":{\"reported\":{\"seq\":" + i + ",\"temp\":" + (20 + i % 5) + "}},\"clientToken\":\"t" + i + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                long sent = System.nanoTime();
                client.publishWith().topic(prefix + "update").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
                Optional<Mqtt5Publish> reply = replies.receive(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
                if (reply.isEmpty() || !reply.get().getTopic().toString().endsWith("/accepted")) {
                    throw new IllegalStateException(thing + ": update " + i + " got " + reply.map(p -> p.getTopic().toString()).orElse("no reply"));
                }
                latency.recordValue(System.nanoTime() - sent);
            }
        } finally {
            client.disconnect();
        }
        return latency;
    }

    private static MqttClientSslConfig tls(CertificateAuthority ca, IssuedCredentials credentials) throws Exception {
        char[] password = "bench".toCharArray();
        KeyStore keys = TlsContexts.keyStore(List.of(credentials.certificate()), credentials.keyPair().getPrivate(), password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(ca.certificate())));
        return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
    }
}
