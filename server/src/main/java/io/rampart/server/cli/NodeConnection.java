package io.rampart.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.Json;
import io.rampart.server.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * A CLI's link to one node: the AWS SDK {@link IotClient} for AWS IoT operations, and SigV4-signed
 * {@code java.net.http} calls for Rampart's own routes (access keys), both trusting only the node's CA.
 */
final class NodeConnection implements AutoCloseable {
    /** Headers java.net.http sets itself and refuses from callers; the signature covers the same values. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final URI apiUrl;
    private final String region;
    private final Endpoint endpoint;
    private final Path caFile;
    private final AwsCredentials credentials;
    private final TrustManager[] trustManagers;
    private final ObjectMapper json = Json.newMapper();
    private IotClient iot;

    NodeConnection(URI apiUrl, String region, Endpoint endpoint, Path caFile, AwsCredentials credentials) {
        this.apiUrl = apiUrl;
        this.region = region;
        this.endpoint = endpoint;
        this.caFile = caFile;
        this.credentials = credentials;
        this.trustManagers = trustManagers(caFile);
    }

    URI apiUrl() {
        return apiUrl;
    }

    String region() {
        return region;
    }

    /** The node's endpoint.json when the connection was made from a data directory, else null. */
    Endpoint endpoint() {
        return endpoint;
    }

    Path caFile() {
        return caFile;
    }

    /** The AWS SDK client for this node, made on first use. */
    IotClient iot() {
        if (iot == null) {
            iot = IotClient.builder()
                    .endpointOverride(apiUrl)
                    .region(Region.of(region))
                    .credentialsProvider(StaticCredentialsProvider.create(credentials))
                    .httpClient(ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trustManagers).build())
                    .build();
        }
        return iot;
    }

    /**
     * Sends a SigV4-signed request (service {@code iot}) to one of Rampart's own routes and returns the JSON body,
     * or throws {@link ApiError} with the error type and message the node answered.
     */
    JsonNode call(String method, String path, JsonNode body) {
        String payload = body == null ? "" : body.toString();
        URI uri = apiUrl.resolve(path);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromUtf8String(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iot")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build()) {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the node at " + apiUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + uri, e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String type = response.headers().firstValue("x-amzn-ErrorType").orElse("HTTP " + response.statusCode());
            // AWS may append ":<url>" to the type; the name is what users search for.
            int colon = type.indexOf(':');
            String message = answer.path("message").asText(answer.path("Message").asText(response.body()));
            throw new ApiError(colon > 0 ? type.substring(0, colon) : type, message);
        }
        return answer;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode().put("message", body);
        }
    }

    private SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context trusting " + caFile, e);
        }
    }

    private static TrustManager[] trustManagers(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(caFile + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no CA file " + caFile + ": give --data DIR of a started node, or --ca FILE", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + caFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(caFile + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (iot != null) {
            iot.close();
        }
    }
}
