package io.rampart.broker;

import io.rampart.common.AwsScope;
import io.rampart.pki.ServerIdentity;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the broker listens and what it enforces.
 *
 * @param scope            region and account the ARNs of authorization requests are built with
 * @param tls              the mutual-TLS listener (always present: there is no broker without one)
 * @param plain            an optional plain-TCP listener; off unless configured
 * @param limits           message, topic and rate limits
 * @param handshakeTimeout a TLS handshake not finished within this is dropped (slow-loris)
 * @param connectTimeout   a connection that sends no CONNECT within this after the handshake is dropped
 * @param nativeTransport  use epoll and OpenSSL (tcnative) when available; false forces NIO and JDK TLS
 */
public record BrokerConfig(AwsScope scope, TlsListener tls, Optional<PlainListener> plain, BrokerLimits limits,
                           Duration handshakeTimeout, Duration connectTimeout, boolean nativeTransport) {
    public BrokerConfig {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(limits, "limits");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, got " + handshakeTimeout);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
    }

    /** A TLS-only broker with AWS's limits, a 10 s handshake timeout and a 10 s CONNECT timeout. */
    public static BrokerConfig of(AwsScope scope, TlsListener tls) {
        return new BrokerConfig(scope, tls, Optional.empty(), BrokerLimits.awsDefaults(), Duration.ofSeconds(10),
                Duration.ofSeconds(10), true);
    }

    /** This configuration with other limits. */
    public BrokerConfig withLimits(BrokerLimits newLimits) {
        return new BrokerConfig(scope, tls, plain, newLimits, handshakeTimeout, connectTimeout, nativeTransport);
    }

    /** This configuration with a plain-TCP listener. */
    public BrokerConfig withPlain(PlainListener listener) {
        return new BrokerConfig(scope, tls, Optional.of(listener), limits, handshakeTimeout, connectTimeout, nativeTransport);
    }

    /** This configuration with other timeouts. */
    public BrokerConfig withTimeouts(Duration handshake, Duration connect) {
        return new BrokerConfig(scope, tls, plain, limits, handshake, connect, nativeTransport);
    }

    /** This configuration with native transport and OpenSSL switched on or off. */
    public BrokerConfig withNativeTransport(boolean enabled) {
        return new BrokerConfig(scope, tls, plain, limits, handshakeTimeout, connectTimeout, enabled);
    }

    /**
     * The MQTT-over-TLS listener. Clients must present a certificate; {@link Authenticator} judges it.
     *
     * @param host     address to bind (e.g. {@code 0.0.0.0}, or {@code 127.0.0.1} in tests)
     * @param port     port to bind; 0 picks a free one (see {@link MqttBroker#tlsPort()})
     * @param identity the server certificate chain and key
     */
    public record TlsListener(String host, int port, ServerIdentity identity) {
        public TlsListener {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(identity, "identity");
            checkPort(port);
        }
    }

    /**
     * A plain-TCP listener without authentication: every client acts as {@code policyName}. Binds loopback unless
     * told otherwise; the broker logs a warning when it starts one.
     *
     * @param host       address to bind; {@link #LOOPBACK} by default
     * @param port       port to bind; 0 picks a free one
     * @param policyName the named policy all its clients are authorized with
     */
    public record PlainListener(String host, int port, String policyName) {
        /** Where a plain listener binds unless configured otherwise. */
        public static final String LOOPBACK = "127.0.0.1";

        public PlainListener {
            Objects.requireNonNull(host, "host");
            checkPort(port);
            if (policyName == null || policyName.isBlank()) {
                throw new IllegalArgumentException("a plain listener must name the policy its clients are granted");
            }
        }

        /** A loopback plain listener on {@code port} granted {@code policyName}. */
        public static PlainListener loopback(int port, String policyName) {
            return new PlainListener(LOOPBACK, port, policyName);
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }
}
