package io.rampart.server;

import io.rampart.api.AccessKeys;
import io.rampart.api.ApiConfig;
import io.rampart.api.ApiServer;
import io.rampart.api.ApiServices;
import io.rampart.api.DataPlane;
import io.rampart.broker.Authorizer;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.MqttBroker;
import io.rampart.broker.store.BrokerStorage;
import io.rampart.broker.store.CommitSettings;
import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.defender.DefenderService;
import io.rampart.defender.IotLogLevel;
import io.rampart.defender.NodeFacts;
import io.rampart.messaging.Registration;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.Pem;
import io.rampart.pki.ServerIdentity;
import io.rampart.pki.TlsContexts;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Registry;
import io.rampart.registry.RegistryLimits;
import io.rampart.registry.RegistryListener;
import io.rampart.server.gateway.GatewayRegistryListener;
import io.rampart.server.observability.CountingTrail;
import io.rampart.server.observability.LogbackLevels;
import io.rampart.server.observability.MeteredAuthorizer;
import io.rampart.server.observability.NodeMetrics;
import io.rampart.server.gateway.RegistryAuthenticator;
import io.rampart.server.gateway.RegistryAuthorizer;
import io.rampart.server.gateway.SecurityTrail;
import io.rampart.shadow.ShadowService;
import io.rampart.store.Database;
import io.rampart.trail.logging.LogLevel;
import io.rampart.trail.logging.LoggingConfiguration;
import io.rampart.trail.logging.LoggingOptions;
import io.rampart.trail.logging.LoggingSettings;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Rampart node: its data directory, key-encryption secret, store, CA and server identity, registry,
 * HTTPS API and MQTT gateway, wired together. Everything is built here and passed down; nothing is static, so two nodes can run in
 * one JVM.
 *
 * <p>On start the data directory receives {@code ca.pem}, {@code credentials} (only when the first admin key is
 * created; mode 0600) and {@code endpoint.json} (last, once the API and the gateway listen, so a client that sees it
 * can connect).
 *
 * <p>The gateway authenticates devices and authorizes their MQTT actions with the registry; the registry's change
 * events reach it through a {@link GatewayRegistryListener} (revoked certificates are disconnected, cached decisions
 * dropped).
 */
public final class Node implements AutoCloseable {
    /** Key material folder inside the data directory (0700): the CA and server keys, encrypted, and a generated secret. */
    public static final String KEYS_DIRECTORY = "keys";
    /** The profile name of the admin key in {@code credentials}. */
    public static final String CREDENTIALS_PROFILE = "rampart";

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final DataDirectory data;
    private final Endpoint endpoint;
    private final Database database;
    private final ApiServer api;
    private final MqttBroker broker;
    private final BrokerStorage brokerStorage;
    private final Registration shadowTopics;
    private final ExecutorService gatewayExecutor;
    private final io.rampart.trail.FileTrail trail;
    private final DefenderService defender;
    /** The gateway's connection and security events the audit records. */
    private final List<Registration> defenderFeeds;
    private final LoggingConfiguration logging;
    /** Null when the node runs with {@code --metrics off}. */
    private final NodeMetrics metrics;
    private final SecurityTrail securityTrail;
    private boolean closed;

    /** The activity trail's folder inside the data directory (segments, signed digests, the verifiers' public key). */
    public static final String TRAIL_DIRECTORY = "trail";
    /** The trail's digest signing key (encrypted like the CA key), kept in the keys folder, apart from the trail. */
    public static final String TRAIL_SIGNING_KEY = "trail-signing.p8";

    private Node(DataDirectory data, Endpoint endpoint, Database database, ApiServer api, MqttBroker broker,
                 BrokerStorage brokerStorage, Registration shadowTopics, ExecutorService gatewayExecutor,
                 SecurityTrail securityTrail, io.rampart.trail.FileTrail trail, LoggingConfiguration logging,
                 NodeMetrics metrics, DefenderService defender, List<Registration> defenderFeeds) {
        this.brokerStorage = brokerStorage;
        this.trail = trail;
        this.securityTrail = securityTrail;
        this.logging = logging;
        this.metrics = metrics;
        this.defender = defender;
        this.defenderFeeds = defenderFeeds;
        this.data = data;
        this.endpoint = endpoint;
        this.database = database;
        this.api = api;
        this.broker = broker;
        this.shadowTopics = shadowTopics;
        this.gatewayExecutor = gatewayExecutor;
    }

    /**
     * Opens (or on first start creates) everything the node needs and starts the API and the MQTT gateway with
     * {@link GatewayOptions#defaults()}.
     *
     * @param environment the process environment, where {@code RAMPART_KEY_SECRET} may be set
     */
    public static Node start(NodeConfig config, Map<String, String> environment, Clock clock, SecureRandom random) {
        return start(config, GatewayOptions.defaults(), environment, clock, random);
    }

    /** As {@link #start(NodeConfig, Map, Clock, SecureRandom)} with the gateway configured by {@code gateway}. */
    public static Node start(NodeConfig config, GatewayOptions gateway, Map<String, String> environment, Clock clock,
                             SecureRandom random) {
        return start(config, gateway, ObservabilityOptions.defaults(), environment, clock, random);
    }

    /** As {@link #start(NodeConfig, GatewayOptions, Map, Clock, SecureRandom)} with metrics as {@code observability} says. */
    public static Node start(NodeConfig config, GatewayOptions gateway, ObservabilityOptions observability,
                             Map<String, String> environment, Clock clock, SecureRandom random) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(observability, "observability");
        DataDirectory data = DataDirectory.open(config.dataDirectory());
        if (!data.isOwnerOnly()) {
            log.warn("{} can be read by other users; it holds the admin credentials and the encrypted keys: chmod 700 it", data);
        }
        KeySecret secret = KeySecret.resolve(environment, config.keySecretFile(), data, random);
        log.info("data directory {}; key-encryption secret from {}", data, secret.describe());
        if (secret.source() == KeySecret.Source.GENERATED || secret.source() == KeySecret.Source.DATA_DIRECTORY) {
            log.warn("the key-encryption secret is kept beside the data: fine for development, but for production set "
                    + "{} or --key-secret-file to a secret stored elsewhere", KeySecret.ENVIRONMENT_VARIABLE);
        }
        // Everything opened so far, closed in reverse order if a later step fails.
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        char[] secretChars = secret.chars();
        byte[] secretBytes = utf8(secretChars);
        try {
            CertificateAuthority ca = CertificateAuthority.openOrCreate(data.resolve(KEYS_DIRECTORY), secretChars,
                    config.caKeyAlgorithm(), "Rampart CA " + config.advertisedHost(), clock, random);
            ServerIdentity identity = ca.openOrCreateServerIdentity(data.resolve(KEYS_DIRECTORY), config.dnsNames(),
                    config.ipAddresses());
            data.writePublic(DataDirectory.CA_FILE, Pem.encodeCertificate(ca.certificate()).getBytes(StandardCharsets.UTF_8));

            Database database = Database.open(config.effectiveJdbcUrl(data));
            opened.push(database);
            PolicyEngine engine = new PolicyEngine(config.scope(), clock, gateway.substitutionMode());
            Registry registry = Registry.open(database, ca, engine, config.scope(), clock,
                    RegistryLimits.defaults(), KeyAlgorithm.DEFAULT, random);
            AccessKeys accessKeys = new AccessKeys(database, secretBytes, clock, random);
            Optional<AccessKeys.NewAccessKey> admin = accessKeys.bootstrapAdmin();
            if (admin.isPresent()) {
                data.writePrivate(DataDirectory.CREDENTIALS_FILE, credentialsFile(admin.get()));
                log.info("created the first admin access key {}; its secret is in {} (profile [{}])",
                        admin.get().key().accessKeyId(), data.resolve(DataDirectory.CREDENTIALS_FILE), CREDENTIALS_PROFILE);
            } else if (!Files.exists(data.resolve(DataDirectory.CREDENTIALS_FILE))) {
                log.warn("{} is missing and the store already has an admin key, whose secret cannot be shown again; "
                        + "use another admin key to create one ('rampart access-key create')", data.resolve(DataDirectory.CREDENTIALS_FILE));
            }

            // The node's meters (GET /rampart/metrics); the parts below count, these read their counters when scraped.
            NodeMetrics metrics = observability.metrics() ? NodeMetrics.create() : null;
            if (metrics != null) {
                opened.push(metrics);
            }

            // Every API call is recorded, durably, before its answer leaves; so are the gateway's security events
            // (issue 6). Opened before the gateway so that no refused client goes unrecorded.
            io.rampart.trail.FileTrail trail = io.rampart.trail.FileTrail.open(io.rampart.trail.TrailConfig.defaults(
                    data.resolve(TRAIL_DIRECTORY), data.resolve(KEYS_DIRECTORY).resolve(TRAIL_SIGNING_KEY),
                    secretChars), clock, random);
            opened.push(trail);
            SecurityTrail securityTrail = SecurityTrail.start(trail, clock, gateway.securityTrail());
            opened.push(securityTrail);

            // Authentication, cache misses and service callbacks block on the database: one virtual thread each.
            ExecutorService gatewayExecutor = Executors.newVirtualThreadPerTaskExecutor();
            opened.push(gatewayExecutor::close);
            RegistryAuthorizer authorizer = new RegistryAuthorizer(registry, engine);
            BrokerConfig brokerConfig = BrokerConfig.of(config.scope(),
                    new BrokerConfig.TlsListener(config.bindAddress(), config.mqttPort(), identity));
            if (gateway.plain().isPresent()) {
                brokerConfig = brokerConfig.withPlain(gateway.plain().get());
            }
            brokerConfig = brokerConfig.withLimits(gateway.limits());
            Authorizer gatewayAuthorizer = metrics == null ? authorizer : new MeteredAuthorizer(authorizer, metrics.meters());
            // Persistent sessions and retained messages are durable (group commit) before the gateway acknowledges them.
            BrokerStorage brokerStorage = BrokerStorage.open(database, clock, CommitSettings.DEFAULTS);
            opened.push(brokerStorage);
            MqttBroker broker = new MqttBroker(brokerConfig, new RegistryAuthenticator(registry.certificates()),
                    gatewayAuthorizer, gatewayExecutor, clock, brokerStorage);
            opened.push(broker);
            broker.onSecurityEvent(securityTrail);
            broker.start();
            registry.addListener(new GatewayRegistryListener(broker, authorizer, registry.certificates()));

            // The shadow service answers $aws/things/+/shadow/# on the gateway and the iot-data routes on the API.
            ShadowService shadows = ShadowService.open(database, registry.things(), broker, clock);
            Registration shadowTopics = shadows.serveMqtt();
            opened.push(shadowTopics::close);
            if (metrics != null) {
                metrics.bindBroker(broker);
                metrics.bindShadows(shadows);
            }
            registry.addListener(new RegistryListener() {
                @Override
                public void thingDeleted(String thingName) {
                    shadows.deleteThingShadows(thingName);
                }
            });

            // Logging options (the AWS IoT logging operations) live in the database and drive Logback's levels.
            LoggingConfiguration logging = openLogging(database, clock);

            // Device Defender audit: its connection history is fed by the gateway's connection events.
            DefenderService defender = DefenderService.open(database, registry, new NodeFacts(config.scope(),
                    gateway.substitutionMode(), Optional.of(ca.certificate()), gateway.plain().map(plain ->
                    new NodeFacts.PlainListener(plain.host(), broker.plainPort().orElse(plain.port()), plain.policyName())),
                    Optional.of(() -> auditedLogLevel(logging.current()))), clock);
            opened.push(defender);
            defender.startScheduler();
            Registration connectionHistory = broker.onConnectionEvent(defender);
            opened.push(connectionHistory::close);
            Registration refusals = broker.onSecurityEvent(defender::onSecurityEvent);
            opened.push(refusals::close);

            ApiServices services = new ApiServices(registry, ca, accessKeys, clock, new DataPlane(shadows, broker))
                    .withLogging(logging).withDefender(defender);
            services = metrics == null ? services.withTrail(trail)
                    : services.withTrail(new CountingTrail(trail, metrics.meters())).withMetrics(metrics.registry());
            ApiServer api = ApiServer.start(
                    ApiConfig.of(config.bindAddress(), config.apiPort(), TlsContexts.server(identity), config.scope(),
                            config.advertisedHost()).withSubstitutionMode(gateway.substitutionMode()),
                    services);
            opened.push(api);
            gateway.plain().ifPresent(plain -> {
                if (!policyExists(registry, plain.policyName())) {
                    log.warn("the plain listener's policy '{}' does not exist yet: its clients are refused until it is "
                            + "created", plain.policyName());
                }
            });

            Endpoint endpoint = new Endpoint(config.advertisedHost(), broker.tlsPort(), api.port(),
                    config.scope().region(), config.scope().accountId());
            data.writePublic(DataDirectory.ENDPOINT_FILE, endpoint.toJson());
            log.info("API listening on {}:{}, advertised as {}", config.bindAddress(), api.port(), endpoint.apiUrl());
            log.info("MQTT gateway listening on {}:{} (mutual TLS), advertised as {}:{}", config.bindAddress(),
                    broker.tlsPort(), config.advertisedHost(), broker.tlsPort());
            return new Node(data, endpoint, database, api, broker, brokerStorage, shadowTopics, gatewayExecutor,
                    securityTrail, trail, logging, metrics, defender, List.of(connectionHistory, refusals));
        } catch (RuntimeException failure) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception closeFailure) {
                    failure.addSuppressed(closeFailure);
                }
            }
            throw failure;
        } finally {
            Arrays.fill(secretChars, '\0');
            Arrays.fill(secretBytes, (byte) 0);
        }
    }

    /**
     * The logging options on the node's database, applied to this process's Logback; with another SLF4J backend the
     * options are kept and served but change no level (said once at start).
     */
    private static LoggingConfiguration openLogging(Database database, Clock clock) {
        Optional<LogbackLevels> logback = LogbackLevels.forThisProcess();
        if (logback.isEmpty()) {
            log.warn("SLF4J is not bound to Logback: the logging options (SetV2LoggingOptions, ...) are kept but do not "
                    + "change any log level");
        }
        LoggingConfiguration.Applier applier = logback.isPresent() ? logback.get() : (options, levels) -> { };
        LoggingOptions startup = logback.map(LogbackLevels::startupOptions).orElse(new LoggingOptions(null, LogLevel.INFO, false));
        return LoggingConfiguration.open(database, Set.copyOf(LogbackLevels.COMPONENTS), startup, applier, clock);
    }

    /** What LOGGING_DISABLED_CHECK sees: the default level, or DISABLED when all logs are disabled. */
    private static IotLogLevel auditedLogLevel(LoggingOptions options) {
        return options.disableAllLogs() ? IotLogLevel.DISABLED : IotLogLevel.valueOf(options.defaultLogLevel().name());
    }

    private static boolean policyExists(Registry registry, String policyName) {
        try {
            registry.policies().get(policyName);
            return true;
        } catch (RampartException e) {
            if (e.type() == ErrorType.RESOURCE_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** The AWS shared-credentials file holding the admin key, profile {@value #CREDENTIALS_PROFILE}. */
    private static byte[] credentialsFile(AccessKeys.NewAccessKey key) {
        return ("[" + CREDENTIALS_PROFILE + "]\n"
                + "aws_access_key_id = " + key.key().accessKeyId() + "\n"
                + "aws_secret_access_key = " + key.secretAccessKey() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    /** Where clients reach this node (as written to endpoint.json). */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The HTTPS API port actually bound. */
    public int apiPort() {
        return api.port();
    }

    /** The MQTT-over-TLS port actually bound. */
    public int mqttPort() {
        return broker.tlsPort();
    }

    /** The plain-TCP MQTT port actually bound, when a plain listener is configured. */
    public OptionalInt plainMqttPort() {
        return broker.plainPort();
    }

    /** The node's logging options as Device Defender's audit reads them ({@code current().loggingEnabled()}). */
    public LoggingSettings loggingSettings() {
        return logging;
    }

    /** The node's data directory. */
    public DataDirectory dataDirectory() {
        return data;
    }

    /**
     * Stops the MQTT gateway (every connection closed) and its session store, then the API (requests in progress
     * finish), then closes the store. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            try {
                shadowTopics.close();
                defenderFeeds.forEach(Registration::close);
                broker.close();
            } finally {
                // After the gateway (nothing submits any more), before the database: commits what is queued.
                brokerStorage.close();
                gatewayExecutor.close();
                try {
                    // After the gateway's executor: every security event delivered is in the trail's counts.
                    securityTrail.close();
                    api.close();
                } finally {
                    try {
                        defender.close();
                    } finally {
                        try {
                            trail.close();
                        } finally {
                            if (metrics != null) {
                                metrics.close();
                            }
                        }
                    }
                }
            }
        } finally {
            database.close();
        }
        log.info("node stopped ({})", data);
    }
}
