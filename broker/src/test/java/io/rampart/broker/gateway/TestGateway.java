package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.rampart.broker.Authentication;
import io.rampart.broker.Authenticator;
import io.rampart.broker.AuthorizationQuery;
import io.rampart.broker.Authorizer;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.MqttBroker;
import io.rampart.broker.PresentedCredentials;
import io.rampart.broker.Principal;
import io.rampart.broker.store.BrokerStorage;
import io.rampart.common.AwsScope;
import io.rampart.messaging.AuthenticationFailureReason;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.CertificateId;
import io.rampart.pki.IssuedCredentials;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.ServerIdentity;
import io.rampart.pki.TlsContexts;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An in-process broker on 127.0.0.1 with a real PKI (pki's CertificateAuthority), a test Authenticator that
 * accepts certificates the CA issued unless revoked, and an Authorizer that evaluates a real policy document with
 * the policy engine. Devices get real client certificates.
 */
final class TestGateway implements AutoCloseable {
    static final AwsScope SCOPE = AwsScope.defaults();
    /** What every test certificate may do: broad, with explicit denials for the deny paths under test. */
    static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/*"},
              {"Effect": "Deny", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/banned-*"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive", "iot:RetainPublish"],
               "Resource": "arn:aws:iot:us-east-1:000000000000:topic/*"},
              {"Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:000000000000:topic/forbidden/*"},
              {"Effect": "Deny", "Action": "iot:RetainPublish", "Resource": "arn:aws:iot:us-east-1:000000000000:topic/noretain/*"},
              {"Effect": "Deny", "Action": "iot:Receive", "Resource": "arn:aws:iot:us-east-1:000000000000:topic/secret/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/*"},
              {"Effect": "Deny", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/forbidden/*"}
            ]}""";

    final CertificateAuthority ca;
    final CertificateAuthority otherCa;
    final ServerIdentity serverIdentity;
    final Set<CertificateId> revoked = ConcurrentHashMap.newKeySet();
    final AtomicInteger authorizerCalls = new AtomicInteger();
    final Set<String> principalsSeen = ConcurrentHashMap.newKeySet();
    final PolicyEngine engine = new PolicyEngine(SCOPE, Clock.systemUTC());
    volatile List<NamedPolicy> policies = List.of(new NamedPolicy("test", "1", PolicyDocument.parse(POLICY)));
    final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final BrokerConfig config;
    private final Clock brokerClock;
    /** Replaced by {@link #restart}. */
    volatile MqttBroker broker;

    TestGateway() {
        this(UnaryOperator.identity());
    }

    TestGateway(UnaryOperator<BrokerConfig> configure) {
        this(configure, Clock.systemUTC());
    }

    /** A gateway whose broker reads time from {@code brokerClock} (message expiry, rate windows, lifecycle timestamps). */
    TestGateway(UnaryOperator<BrokerConfig> configure, Clock brokerClock) {
        this(configure, brokerClock, null);
    }

    /** A gateway whose persistent sessions and retained messages are durable in {@code storage} (null: memory only). */
    TestGateway(UnaryOperator<BrokerConfig> configure, Clock brokerClock, BrokerStorage storage) {
        this.brokerClock = brokerClock;
        SecureRandom random = new SecureRandom();
        ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Rampart Test CA", Clock.systemUTC(), random);
        otherCa = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Some Other CA", Clock.systemUTC(), random);
        serverIdentity = ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256);
        config = configure.apply(BrokerConfig.of(SCOPE, new BrokerConfig.TlsListener("127.0.0.1", 0, serverIdentity)));
        broker = new MqttBroker(config, authenticator(), authorizer(), blocking, brokerClock, storage);
        broker.start();
    }

    /**
     * A node restart: the broker stops (every connection closed), {@code reopen} runs (close the old storage, open a
     * new one on the same database) and a new broker starts on it with the same PKI, on a new port. Build clients
     * again after it: they connect to {@link #port()}.
     */
    void restart(java.util.function.Supplier<BrokerStorage> reopen) {
        broker.close();
        broker = new MqttBroker(config, authenticator(), authorizer(), blocking, brokerClock, reopen.get());
        broker.start();
    }

    /** Accepts certificates issued by {@link #ca}, inside their validity and not revoked: what the registry decides. */
    private Authenticator authenticator() {
        return (PresentedCredentials credentials) -> {
            X509Certificate leaf = credentials.leaf();
            if (!ca.issued(leaf)) {
                return new Authentication.Rejected(AuthenticationFailureReason.UNKNOWN_CERTIFICATE, "unknown issuer " + leaf.getIssuerX500Principal());
            }
            try {
                leaf.checkValidity();
            } catch (CertificateExpiredException e) {
                return new Authentication.Rejected(AuthenticationFailureReason.CERTIFICATE_EXPIRED, e.getMessage());
            } catch (CertificateNotYetValidException e) {
                return new Authentication.Rejected(AuthenticationFailureReason.CERTIFICATE_NOT_YET_VALID, e.getMessage());
            }
            CertificateId id = CertificateId.of(leaf);
            if (revoked.contains(id)) {
                return new Authentication.Rejected(AuthenticationFailureReason.CERTIFICATE_REVOKED, "certificate " + id + " is REVOKED");
            }
            return new Authentication.Accepted(new Principal.Certificate(id));
        };
    }

    private Authorizer authorizer() {
        return (AuthorizationQuery query) -> {
            authorizerCalls.incrementAndGet();
            principalsSeen.add(query.principal().id());
            RequestContext context = RequestContext.builder().clientId(query.clientId()).sourceIp(query.sourceIp()).build();
            Decision decision = engine.evaluate(policies, new AuthorizationRequest(query.action(), query.resource(), context));
            return decision;
        };
    }

    int port() {
        return broker.tlsPort();
    }

    /** A device: a fresh key pair and certificate from the test CA. */
    Device device() {
        return new Device(ca.createKeysAndCertificate(KeyAlgorithm.EC_P256), ca.certificate());
    }

    /** A device whose certificate the broker's authenticator does not know (another CA). */
    Device strangerDevice() {
        return new Device(otherCa.createKeysAndCertificate(KeyAlgorithm.EC_P256), ca.certificate());
    }

    static String clientId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Fails if Netty's paranoid leak detector reported a LEAK in this JVM so far. */
    static void assertNoLeaks() {
        LeakWatch.assertNoLeaks();
    }

    @Override
    public void close() {
        broker.close();
        blocking.close();
    }

    /** One device's credentials and the ways to connect with them. */
    final class Device {
        final IssuedCredentials credentials;
        final X509Certificate trusted;

        Device(IssuedCredentials credentials, X509Certificate trusted) {
            this.credentials = credentials;
            this.trusted = trusted;
        }

        CertificateId certificateId() {
            return credentials.certificateId();
        }

        SSLContext sslContext() {
            return TlsContexts.client(List.of(trusted), List.of(credentials.certificate()), credentials.keyPair().getPrivate());
        }

        MqttClientSslConfig hiveMqSsl() {
            try {
                char[] password = "test".toCharArray();
                KeyStore keys = TlsContexts.keyStore(List.of(credentials.certificate()), credentials.keyPair().getPrivate(), password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(TlsContexts.trustStore(List.of(trusted)));
                return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        Mqtt5BlockingClient v5(String clientId) {
            return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port())
                    .sslConfig(hiveMqSsl()).buildBlocking();
        }

        Mqtt3BlockingClient v3(String clientId) {
            return Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port())
                    .sslConfig(hiveMqSsl()).buildBlocking();
        }
    }
}
