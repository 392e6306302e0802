package io.rampart.api;

import io.rampart.common.AwsScope;
import io.rampart.policy.SubstitutionMode;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How the API listens and what it advertises.
 *
 * @param bindHost         address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port             TCP port; 0 picks a free one ({@link ApiServer#port()} tells which)
 * @param sslContext       server TLS context (the node's server certificate); TLS 1.2 and 1.3 only
 * @param scope            region and account: SigV4 requests must be signed for this region
 * @param endpointHost     host name answered by DescribeEndpoint (what devices connect to)
 * @param maxRequestBytes  larger bodies are refused with 413 RequestEntityTooLargeException before being read
 * @param allowedClockSkew requests signed further from the node's clock are refused, as AWS does after 15 minutes
 * @param substitutionMode the policy variable substitution the node's gateway uses; policy analyses default to it
 */
public record ApiConfig(String bindHost, int port, SSLContext sslContext, AwsScope scope, String endpointHost,
                        int maxRequestBytes, Duration allowedClockSkew, SubstitutionMode substitutionMode) {
    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 128 * 1024;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(15);

    public ApiConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(endpointHost, "endpointHost");
        Objects.requireNonNull(allowedClockSkew, "allowedClockSkew");
        Objects.requireNonNull(substitutionMode, "substitutionMode");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive, got " + maxRequestBytes);
        }
        if (allowedClockSkew.isNegative()) {
            throw new IllegalArgumentException("allowedClockSkew must not be negative");
        }
    }

    /** A configuration with the default body limit (128 KiB), clock skew (15 minutes) and STRICT substitution. */
    public static ApiConfig of(String bindHost, int port, SSLContext sslContext, AwsScope scope, String endpointHost) {
        return new ApiConfig(bindHost, port, sslContext, scope, endpointHost, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_CLOCK_SKEW,
                SubstitutionMode.STRICT);
    }

    /** The same configuration for a node whose gateway substitutes policy variables with {@code mode}. */
    public ApiConfig withSubstitutionMode(SubstitutionMode mode) {
        return new ApiConfig(bindHost, port, sslContext, scope, endpointHost, maxRequestBytes, allowedClockSkew, mode);
    }
}
