package io.rampart.bench.mqtt;

import io.rampart.broker.Authentication;
import io.rampart.broker.Authenticator;
import io.rampart.broker.Authorizer;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import io.rampart.broker.MqttBroker;
import io.rampart.broker.Principal;
import io.rampart.broker.store.BrokerStorage;
import io.rampart.broker.store.CommitSettings;
import io.rampart.common.AwsScope;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.rampart.messaging.AuthenticationFailureReason;
import io.rampart.pki.CertificateId;
import io.rampart.pki.ServerIdentity;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Rampart's gateway started in this JVM on a free loopback port, with the bench PKI's server certificate. The
 * Authenticator accepts certificates the bench CA issued (the registry's job in a node); the Authorizer evaluates a real
 * policy document with the policy engine, so every CONNECT, PUBLISH, SUBSCRIBE and delivery is authorized as in a
 * node (decisions cached per connection). Like a node, it is durable: persistent sessions and retained messages go
 * to a broker store on an embedded SQLite file (in a temporary directory, deleted on close) before they are
 * acknowledged, so the QoS 1 workload compares a durable gateway with a persistent Mosquitto.
 */
final class RampartTarget implements Target {
    /** What bench clients may do: connect as bench-*, publish, subscribe and receive under bench/. */
    static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/bench-*"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:*:*:topic/bench/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/bench/*"}
            ]}""";

    private final ExecutorService blocking;
    private final MqttBroker broker;
    private final Store store;
    private final Optional<MqttClientSslConfig> clientTls;
    private final int port;

    private RampartTarget(ExecutorService blocking, MqttBroker broker, Store store, Optional<MqttClientSslConfig> clientTls,
                          int port) {
        this.blocking = blocking;
        this.store = store;
        this.broker = broker;
        this.clientTls = clientTls;
        this.port = port;
    }

    int port() {
        return port;
    }

    /** "epoll transport, OPENSSL TLS": what the broker selected on this machine. */
    String transport() {
        return broker.transportName() + " transport, " + broker.tlsProvider() + " TLS";
    }

    /** The gateway in this JVM, trusting the bench CA, serving the bench server certificate. */
    static RampartTarget start(BenchPki pki, Clock clock) {
        return start(pki.server(), pki.ca().certificate(), Optional.of(pki.clientTls()), clock);
    }

    /**
     * The gateway on a free loopback port, accepting client certificates {@code ca} signed.
     *
     * @param clientTls how bench clients reach it (empty in {@link RampartProcess}, which only serves)
     */
    static RampartTarget start(ServerIdentity server, X509Certificate ca, Optional<MqttClientSslConfig> clientTls, Clock clock) {
        AwsScope scope = AwsScope.defaults();
        BrokerConfig config = BrokerConfig.of(scope, new BrokerConfig.TlsListener("127.0.0.1", 0, server))
                .withLimits(limits(BrokerLimits.awsDefaults()));
        List<NamedPolicy> policies = List.of(new NamedPolicy("bench", "1", PolicyDocument.parse(POLICY)));
        PolicyEngine engine = new PolicyEngine(scope, clock);
        Authenticator authenticator = credentials -> {
            X509Certificate leaf = credentials.leaf();
            return issuedBy(leaf, ca)
                    ? new Authentication.Accepted(new Principal.Certificate(CertificateId.of(leaf)))
                    : new Authentication.Rejected(AuthenticationFailureReason.UNKNOWN_CERTIFICATE, "not issued by the bench CA: " + leaf.getIssuerX500Principal());
        };
        Authorizer authorizer = query -> engine.evaluate(policies, new AuthorizationRequest(query.action(), query.resource(),
                RequestContext.builder().clientId(query.clientId()).sourceIp(query.sourceIp()).build()));
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        Store store = Store.open(clock);
        MqttBroker broker = new MqttBroker(config, authenticator, authorizer, blocking, clock, store.storage);
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            blocking.close();
            store.close();
            throw e;
        }
        return new RampartTarget(blocking, broker, store, clientTls, broker.tlsPort());
    }

    /** The node's default: the broker store on an embedded SQLite file, here in a throw-away directory. */
    private record Store(Path directory, Database database, BrokerStorage storage) implements AutoCloseable {
        static Store open(Clock clock) {
            try {
                Path directory = Files.createTempDirectory("rampart-bench-store");
                Database database = Database.open("jdbc:sqlite:" + directory.resolve("rampart.db"));
                return new Store(directory, database, BrokerStorage.open(database, clock, CommitSettings.DEFAULTS));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the bench's store directory", e);
            }
        }

        @Override
        public void close() {
            storage.close();
            database.close();
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the bench's store in " + directory, e);
            }
        }
    }

    /** What the registry decides in a node, reduced to the bench: the certificate carries a valid signature of {@code ca}. */
    private static boolean issuedBy(X509Certificate leaf, X509Certificate ca) {
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            leaf.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            // A signature that does not verify is the answer "not issued by this CA", not an error.
            return false;
        }
    }

    /**
     * AWS's quotas, except the 100 publishes/s per connection (a load generator exceeds it by design); in-flight (100)
     * and queued (100,000) messages per client are the values the Mosquitto target is configured with.
     */
    static BrokerLimits limits(BrokerLimits aws) {
        return aws.toBuilder().maxPublishesPerSecond(Integer.MAX_VALUE).maxInFlight(MosquittoTarget.IN_FLIGHT)
                .maxQueuedMessages(MosquittoTarget.QUEUED).build();
    }

    @Override
    public String name() {
        return "Rampart";
    }

    @Override
    public String description() {
        return "in-process gateway, " + transport() + " on 127.0.0.1:" + port
                + " (client certificate required, policy engine authorizes, sessions durable in SQLite)";
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1", port, clientTls);
    }

    @Override
    public MemoryGauge memory() {
        return new MemoryGauge.ThisJvm();
    }

    @Override
    public void close() {
        broker.close();
        blocking.close();
        store.close();
    }
}
