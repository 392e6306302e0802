package io.rampart.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rampart.common.AwsScope;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.TlsContexts;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Registry;
import io.rampart.shadow.ShadowService;
import io.rampart.store.Database;
import io.rampart.trail.logging.LogLevel;
import io.rampart.trail.logging.LoggingConfiguration;
import io.rampart.trail.logging.LoggingOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;

/**
 * An in-process API node for tests, built once per test class:
 * {@code @RegisterExtension static final ApiTestNode node = new ApiTestNode();}
 *
 * <p>It holds a temporary SQLite database, a throw-away TLS PKI, the registry, an {@link ApiServer} on
 * 127.0.0.1 port 0, a bootstrapped admin key and a read-only key, and AWS SDK {@link IotClient}s for both
 * (endpoint override, the node's CA trusted, region us-east-1, no retries so failures show at once).
 */
public final class ApiTestNode implements BeforeAllCallback, AfterAllCallback {
    public static final AwsScope SCOPE = AwsScope.defaults();

    private Path directory;
    private Database database;
    private CertificateAuthority ca;
    private SSLContext clientTls;
    private Registry registry;
    private AccessKeys accessKeys;
    private ApiServer server;
    private AccessKeys.NewAccessKey adminKey;
    private AccessKeys.NewAccessKey readOnlyKey;
    private SdkHttpClient sdkHttp;
    private IotClient admin;
    private IotClient readOnly;
    private HttpClient rawHttp;
    private ApiConfig config;
    private ApiServices services;
    private final List<RouteGroup> extraRoutes;
    private final RecordingBus bus = new RecordingBus();
    private IotDataPlaneClient dataPlane;
    private io.rampart.trail.FileTrail trail;
    private io.rampart.defender.DefenderService defender;
    private final java.util.function.UnaryOperator<io.rampart.trail.Trail> trailWrapper;
    private LoggingConfiguration logging;
    private PrometheusMeterRegistry metrics;

    /** A node serving every Rampart route. */
    public ApiTestNode() {
        this(List.of());
    }

    /** A node serving every Rampart route plus {@code extraRoutes} (framework tests add failing handlers). */
    ApiTestNode(List<RouteGroup> extraRoutes) {
        this(extraRoutes, trail -> trail);
    }

    /** A node whose API records through {@code trailWrapper} applied to the real trail (failure-injection tests). */
    ApiTestNode(List<RouteGroup> extraRoutes, java.util.function.UnaryOperator<io.rampart.trail.Trail> trailWrapper) {
        this.extraRoutes = List.copyOf(extraRoutes);
        this.trailWrapper = trailWrapper;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("rampart-api-test");
        database = Database.open("jdbc:sqlite:" + directory.resolve("rampart.db"));
        SecureRandom random = new SecureRandom();
        ca = CertificateAuthority.inMemory(KeyAlgorithm.DEFAULT, "Rampart API test CA", Clock.systemUTC(), random);
        SSLContext serverTls = TlsContexts.server(ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.DEFAULT));
        clientTls = TlsContexts.client(List.of(ca.certificate()));
        registry = Registry.open(database, ca, new PolicyEngine(SCOPE, Clock.systemUTC()), SCOPE, Clock.systemUTC());
        accessKeys = new AccessKeys(database, "test node secret, 32 bytes long!".getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), random);
        adminKey = accessKeys.bootstrapAdmin().orElseThrow();
        readOnlyKey = accessKeys.create("auditor", AccessKeys.Role.READ_ONLY);
        config = ApiConfig.of("127.0.0.1", 0, serverTls, SCOPE, "localhost");
        ShadowService shadows = ShadowService.open(database, registry.things(), bus, Clock.systemUTC());
        trail = io.rampart.trail.FileTrail.open(io.rampart.trail.TrailConfig.defaults(directory.resolve("trail"),
                directory.resolve("keys/trail-signing.p8"), "test trail key secret".toCharArray()), Clock.systemUTC(), random);
        logging = LoggingConfiguration.open(database, Set.of("api", "broker", "shadow"),
                new LoggingOptions(null, LogLevel.INFO, false),
                // What the operations answer is checked here; the server's tests check that Logback follows.
                (options, levels) -> { }, Clock.systemUTC());
        defender = io.rampart.defender.DefenderService.open(database, registry, new io.rampart.defender.NodeFacts(SCOPE,
                io.rampart.policy.SubstitutionMode.STRICT, java.util.Optional.of(ca.certificate()), java.util.Optional.empty(),
                java.util.Optional.empty()), Clock.systemUTC());
        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        services = new ApiServices(registry, ca, accessKeys, Clock.systemUTC(), new DataPlane(shadows, bus), trailWrapper.apply(trail))
                .withLogging(logging).withMetrics(metrics).withDefender(defender);
        List<RouteGroup> groups = new java.util.ArrayList<>(ApiRoutes.groups(config));
        groups.addAll(extraRoutes);
        server = ApiServer.start(config, services, groups);
        TrustManager[] trust = {TlsContexts.trustManager(List.of(ca.certificate()))};
        sdkHttp = ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trust).build();
        admin = client(adminKey);
        readOnly = client(readOnlyKey);
        dataPlane = dataPlaneClient(adminKey);
        rawHttp = HttpClient.newBuilder().sslContext(clientTls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        admin.close();
        readOnly.close();
        dataPlane.close();
        sdkHttp.close();
        rawHttp.close();
        server.close();
        defender.close();
        trail.close();
        database.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** An SDK client signing with the given key. */
    public IotClient client(AccessKeys.NewAccessKey key) {
        return client(key.key().accessKeyId(), key.secretAccessKey());
    }

    /** An SDK client signing with any id and secret (unknown or wrong ones included). */
    public IotClient client(String accessKeyId, String secret) {
        return IotClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(SCOPE.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(sdkHttp)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** An iot-data SDK client (signing name {@code iotdata}) with the given key, without retries. */
    public IotDataPlaneClient dataPlaneClient(AccessKeys.NewAccessKey key) {
        return IotDataPlaneClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(SCOPE.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.key().accessKeyId(), key.secretAccessKey())))
                .httpClient(sdkHttp)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** The admin key's iot-data client. */
    public IotDataPlaneClient dataPlane() {
        return dataPlane;
    }

    /** What the data plane published on the node's (recording) MessageBus. */
    public RecordingBus bus() {
        return bus;
    }

    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + server.port());
    }

    public IotClient admin() {
        return admin;
    }

    public IotClient readOnly() {
        return readOnly;
    }

    public AccessKeys.NewAccessKey adminKey() {
        return adminKey;
    }

    public AccessKeys.NewAccessKey readOnlyKey() {
        return readOnlyKey;
    }

    public AccessKeys accessKeys() {
        return accessKeys;
    }

    /** Every route the node serves (Rampart's own; not the extra test routes). */
    List<Route> routes() {
        return ApiRoutes.groups(config).stream().flatMap(group -> group.routes(services).stream()).toList();
    }

    /** The node's Device Defender audit. */
    public io.rampart.defender.DefenderService defender() {
        return defender;
    }

    /** The node's activity trail (every API call is recorded there). */
    public io.rampart.trail.FileTrail trail() {
        return trail;
    }

    /** The trail's directory (segments, digests and the public key). */
    public Path trailDirectory() {
        return directory.resolve("trail");
    }

    /** The node's logging options (served by the AWS IoT logging operations). */
    public LoggingConfiguration logging() {
        return logging;
    }

    /** The node's meter registry (API latency timers; served at GET /metrics). */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public Registry registry() {
        return registry;
    }

    public Database database() {
        return database;
    }

    public int port() {
        return server.port();
    }

    /** The node's built-in CA: it issued the API's server certificate and signs device certificates and the CRL. */
    public CertificateAuthority ca() {
        return ca;
    }

    /** A java.net.http client trusting the node, for hand-made requests. */
    public HttpClient rawHttp() {
        return rawHttp;
    }

    /** Sends a request signed by {@link TestSigner} with the admin key. */
    public HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
        return send(TestSigner.forKey(adminKey).sign(method, endpoint().resolve(pathAndQuery), body, Map.of()));
    }

    /** Sends a request exactly as given. */
    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return rawHttp.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The first value of a response header. */
    public static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    static List<String> headerNames(HttpResponse<?> response) {
        return List.copyOf(response.headers().map().keySet());
    }
}
