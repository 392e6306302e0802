package io.rampart.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs hand-made requests with the AWS SDK's own SigV4 signer, so tests can then alter what was signed
 * (body, clock, region, secret) and send it with java.net.http.
 */
record TestSigner(String accessKeyId, String secret, String region, String service, Clock clock) {
    /** Headers java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");

    static TestSigner forKey(AccessKeys.NewAccessKey key) {
        return new TestSigner(key.key().accessKeyId(), key.secretAccessKey(), ApiTestNode.SCOPE.region(), "iot", Clock.systemUTC());
    }

    TestSigner withSecret(String other) {
        return new TestSigner(accessKeyId, other, region, service, clock);
    }

    TestSigner withAccessKeyId(String other) {
        return new TestSigner(other, secret, region, service, clock);
    }

    TestSigner withRegion(String other) {
        return new TestSigner(accessKeyId, secret, other, service, clock);
    }

    TestSigner withService(String other) {
        return new TestSigner(accessKeyId, secret, region, other, clock);
    }

    TestSigner withClock(Clock other) {
        return new TestSigner(accessKeyId, secret, region, service, other);
    }

    /** The headers the SDK signer adds (Authorization, X-Amz-Date, ...), for a request with these extra headers. */
    Map<String, List<String>> signedHeaders(String method, URI uri, String body, Map<String, String> extraHeaders) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        extraHeaders.forEach(request::putHeader);
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(request.build())
                .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                headers.put(name, values);
            }
        });
        return headers;
    }

    /** A signed java.net.http request. */
    HttpRequest sign(String method, URI uri, String body, Map<String, String> extraHeaders) {
        return build(method, uri, body, signedHeaders(method, uri, body, extraHeaders));
    }

    /** A request with exactly these headers and body (signed for something else, perhaps). */
    static HttpRequest build(String method, URI uri, String body, Map<String, List<String>> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        return builder.build();
    }
}
