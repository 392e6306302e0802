package io.rampart.server.cli;

import io.rampart.common.AwsScope;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import io.rampart.policy.SubstitutionMode;
import io.rampart.server.GatewayLimits;
import io.rampart.server.GatewayOptions;
import io.rampart.server.Node;
import io.rampart.server.NodeConfig;
import io.rampart.server.ObservabilityOptions;
import io.rampart.server.observability.LogFormat;
import io.rampart.server.gateway.SecurityTrailPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rampart server}: runs a node until SIGTERM or Ctrl-C, then stops it gracefully. */
@Command(name = "server", description = "Start a Rampart node (embedded SQLite store in ./rampart-data unless told otherwise).")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = NodeConfig.DEFAULT_DATA_DIRECTORY,
            description = "Data directory, created 0700 (default: ./${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/rampart?user=rampart (default: embedded SQLite DIR/rampart.db).")
    String jdbcUrl;

    @Option(names = "--mqtt-port", paramLabel = "N", defaultValue = "" + NodeConfig.DEFAULT_MQTT_PORT,
            description = "MQTT over mutual TLS port; 0 picks a free port and prints it (default: ${DEFAULT-VALUE}).")
    int mqttPort;

    @Option(names = "--plain-port", paramLabel = "N",
            description = "Also listen for plain, UNAUTHENTICATED MQTT on this port (0 = a free port); every client acts as "
                    + "--plain-policy. Off unless given; a warning is logged at start-up.")
    Integer plainPort;

    @Option(names = "--plain-policy", paramLabel = "NAME",
            description = "The policy every plain-listener client is authorized with (required with --plain-port).")
    String plainPolicy;

    @Option(names = "--plain-bind", paramLabel = "ADDR", defaultValue = BrokerConfig.PlainListener.LOOPBACK,
            description = "Address the plain listener binds (default: ${DEFAULT-VALUE}, loopback only).")
    String plainBind;

    @Option(names = "--policy-variables", paramLabel = "MODE", defaultValue = "STRICT",
            description = "STRICT (default): a policy variable whose value contains + or # never grants an Allow; "
                    + "AWS_COMPATIBLE: substitute as AWS IoT does.")
    SubstitutionMode substitutionMode;

    @Option(names = "--security-trail-window", paramLabel = "SECONDS", defaultValue = "60",
            description = "Gateway security events in the trail: per certificate+action+resource (denials), source+"
                    + "certificate+reason (refused clients) or client id (takeovers), the first is recorded at once and "
                    + "the rest of each window as one record with a count (default: ${DEFAULT-VALUE}).")
    int securityTrailWindowSeconds;

    @Option(names = "--security-trail-max-records", paramLabel = "N", defaultValue = "1000",
            description = "At most N gateway security records per window in all; the excess is counted in one "
                    + "SecurityEventsDropped record (default: ${DEFAULT-VALUE}).")
    int securityTrailMaxRecords;

    @Option(names = "--limit", paramLabel = "NAME=VALUE",
            description = "Change one gateway limit (repeatable), starting from AWS IoT Core's quotas. NAME is one of "
                    + "payload-bytes, topic-bytes, topic-slashes, client-id-bytes, subscriptions-per-connection, "
                    + "publishes-per-second, connect-interval, keep-alive-min, keep-alive-max, in-flight, "
                    + "queued-messages, topic-aliases, authorization-cache, session-expiry-max; durations take a unit "
                    + "(500ms, 30s, 20m, 1h, 7d).")
    List<String> limits = List.of();

    @Option(names = "--api-port", paramLabel = "N", defaultValue = "" + NodeConfig.DEFAULT_API_PORT,
            description = "HTTPS API port; 0 picks a free port and prints it (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--host", paramLabel = "NAME",
            description = "Host name or IP the server certificate is valid for; repeatable; the first is advertised in "
                    + "endpoint.json and by DescribeEndpoint (default: localhost, this machine's name, 127.0.0.1, ::1).")
    List<String> hosts;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = NodeConfig.DEFAULT_BIND_ADDRESS,
            description = "Address the API and the MQTT gateway listen on (default: ${DEFAULT-VALUE}, every IPv4 interface).")
    String bind;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = AwsScope.DEFAULT_REGION,
            description = "Region in ARNs and SigV4 scopes (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--account-id", paramLabel = "ID", defaultValue = AwsScope.DEFAULT_ACCOUNT_ID,
            description = "12-digit account id in ARNs (default: ${DEFAULT-VALUE}).")
    String accountId;

    @Option(names = "--key-secret-file", paramLabel = "FILE",
            description = "File holding the key-encryption secret (default: $RAMPART_KEY_SECRET, else DIR/keys/secret, generated on first start).")
    Path keySecretFile;

    @Option(names = "--ca-key-algorithm", paramLabel = "ALG", defaultValue = "ec-p256",
            description = "Key type of a new CA and its server certificates: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096 (default: ${DEFAULT-VALUE}).")
    String caKeyAlgorithm;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "Log lines as readable text or as one JSON object per line (timestamp, level, component, "
                    + "logger, thread, event, mdc, exception) (default: $" + LogFormat.ENVIRONMENT_VARIABLE + ", else text).")
    String logFormat;

    @Option(names = "--metrics", paramLabel = "on|off", defaultValue = "on",
            description = "Keep meters and serve them, unauthenticated, at GET /rampart/metrics on the API port in "
                    + "Prometheus text format (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    ServerCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        String format = logFormat != null ? logFormat : environment.getOrDefault(LogFormat.ENVIRONMENT_VARIABLE, "text");
        try {
            // First, so that every line the node writes is in the chosen format.
            LogFormat.parse(format).apply(LoggerFactory.getILoggerFactory());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        NodeConfig config = new NodeConfig(data, jdbcUrl, mqttPort, apiPort,
                hosts == null || hosts.isEmpty() ? NodeConfig.defaultHosts() : hosts, bind,
                new AwsScope(region, accountId), keySecretFile, KeyAlgorithm.parse(caKeyAlgorithm));
        if (plainPort == null && plainPolicy != null) {
            throw new ParameterException(spec.commandLine(), "--plain-policy needs --plain-port");
        }
        if (plainPort != null && plainPolicy == null) {
            throw new ParameterException(spec.commandLine(), "--plain-port needs --plain-policy NAME: the policy its clients get");
        }
        Optional<BrokerConfig.PlainListener> plain = plainPort == null ? Optional.empty()
                : Optional.of(new BrokerConfig.PlainListener(plainBind, plainPort, plainPolicy));
        if (!metrics.equals("on") && !metrics.equals("off")) {
            throw new ParameterException(spec.commandLine(), "--metrics must be on or off, got '" + metrics + "'");
        }
        SecurityTrailPolicy securityTrail;
        try {
            securityTrail = new SecurityTrailPolicy(Duration.ofSeconds(securityTrailWindowSeconds), securityTrailMaxRecords);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        BrokerLimits brokerLimits;
        try {
            brokerLimits = GatewayLimits.apply(BrokerLimits.awsDefaults(), limits);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Node node = Node.start(config, new GatewayOptions(substitutionMode, plain, securityTrail, brokerLimits),
                new ObservabilityOptions(metrics.equals("on")), environment, Clock.systemUTC(), new SecureRandom());
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C run shutdown hooks: close the node (API drained, database closed), then let main return.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "rampart-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("rampart: API        " + node.endpoint().apiUrl() + " (listening on " + bind + ":" + node.apiPort() + ")");
        out.println("rampart: data       " + node.dataDirectory().root());
        out.println("rampart: AWS CLI    AWS_SHARED_CREDENTIALS_FILE=" + node.dataDirectory().resolve("credentials")
                + " aws iot list-things --profile rampart --region " + region
                + " --endpoint-url " + node.endpoint().apiUrl() + " --ca-bundle " + node.dataDirectory().resolve("ca.pem"));
        out.println("rampart: MQTT       mqtts://" + node.endpoint().host() + ":" + node.mqttPort()
                + " (mutual TLS; listening on " + bind + ":" + node.mqttPort() + ")");
        node.plainMqttPort().ifPresent(port -> out.println("rampart: MQTT plain " + plainBind + ":" + port
                + " WITHOUT authentication, every client acts as policy " + plainPolicy));
        out.flush();
        stopped.await();
        return 0;
    }
}
