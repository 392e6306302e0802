package io.rampart.bench.mqtt;

import io.rampart.broker.Authentication;
import io.rampart.broker.Authenticator;
import io.rampart.broker.Authorizer;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import io.rampart.broker.MqttBroker;
import io.rampart.broker.Principal;
import io.rampart.common.AwsScope;
import io.rampart.pki.CertificateId;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Rampart's gateway started in this JVM on a free loopback port, with the bench PKI's server certificate. The
 * Authenticator accepts certificates the bench CA issued (the registry's job in a node); the Authorizer evaluates a real
 * policy document with the policy engine, so every CONNECT, PUBLISH, SUBSCRIBE and delivery is authorized as in a
 * node (decisions cached per connection).
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
    private final Endpoint endpoint;

    private RampartTarget(ExecutorService blocking, MqttBroker broker, Endpoint endpoint) {
        this.blocking = blocking;
        this.broker = broker;
        this.endpoint = endpoint;
    }

    static RampartTarget start(BenchPki pki, Clock clock) {
        AwsScope scope = AwsScope.defaults();
        BrokerConfig config = BrokerConfig.of(scope, new BrokerConfig.TlsListener("127.0.0.1", 0, pki.server()))
                .withLimits(limits(BrokerLimits.awsDefaults()));
        List<NamedPolicy> policies = List.of(new NamedPolicy("bench", "1", PolicyDocument.parse(POLICY)));
        PolicyEngine engine = new PolicyEngine(scope, clock);
        Authenticator authenticator = credentials -> {
            X509Certificate leaf = credentials.leaf();
            return pki.ca().issued(leaf)
                    ? new Authentication.Accepted(new Principal.Certificate(CertificateId.of(leaf)))
                    : new Authentication.Rejected("not issued by the bench CA: " + leaf.getIssuerX500Principal());
        };
        Authorizer authorizer = query -> engine.evaluate(policies, new AuthorizationRequest(query.action(), query.resource(),
                RequestContext.builder().clientId(query.clientId()).sourceIp(query.sourceIp()).build()));
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        MqttBroker broker = new MqttBroker(config, authenticator, authorizer, blocking, clock);
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            blocking.close();
            throw e;
        }
        return new RampartTarget(blocking, broker, new Endpoint("127.0.0.1", broker.tlsPort(), Optional.of(pki.clientTls())));
    }

    /**
     * AWS's quotas, except the 100 publishes/s per connection (a load generator exceeds it by design); in-flight (100)
     * and queued (100,000) messages per client are the values the Mosquitto target is configured with.
     */
    static BrokerLimits limits(BrokerLimits aws) {
        return new BrokerLimits(aws.maxPayloadBytes(), aws.maxTopicBytes(), aws.maxTopicSlashes(), aws.maxClientIdBytes(),
                aws.maxSubscriptionsPerConnection(), Integer.MAX_VALUE, aws.minConnectInterval(), aws.minKeepAlive(),
                aws.maxKeepAlive(), MosquittoTarget.IN_FLIGHT, MosquittoTarget.QUEUED, aws.topicAliasMaximum(),
                aws.authorizationCacheSize());
    }

    @Override
    public String name() {
        return "Rampart";
    }

    @Override
    public String description() {
        return "in-process gateway, " + broker.transportName() + " transport, " + broker.tlsProvider() + " TLS on "
                + endpoint.host() + ":" + endpoint.port() + " (client certificate required, policy engine authorizes)";
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public MemoryGauge memory() {
        return new MemoryGauge.ThisJvm();
    }

    @Override
    public void close() {
        broker.close();
        blocking.close();
    }
}
