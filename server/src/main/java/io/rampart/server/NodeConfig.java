package io.rampart.server;

import io.rampart.common.AwsScope;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.store.Dialect;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a node is started with.
 *
 * @param dataDirectory  where the node keeps its files (created 0700)
 * @param jdbcUrl        the store, or null for the embedded SQLite file {@code DATA/rampart.db}
 * @param mqttPort       the MQTT-over-TLS port recorded in endpoint.json (the gateway arrives with issue 3)
 * @param apiPort        the HTTPS API port; 0 picks a free one
 * @param hosts          names and addresses the server certificate is valid for; the first is the advertised host
 * @param bindAddress    the address the API listens on
 * @param scope          region and account id of every ARN
 * @param keySecretFile  the key-encryption secret file ({@code --key-secret-file}), or null
 * @param caKeyAlgorithm the key type of a new CA and of its server certificates
 */
public record NodeConfig(Path dataDirectory, String jdbcUrl, int mqttPort, int apiPort, List<String> hosts,
                         String bindAddress, AwsScope scope, Path keySecretFile, KeyAlgorithm caKeyAlgorithm) {
    public static final int DEFAULT_MQTT_PORT = 8883;
    public static final int DEFAULT_API_PORT = 8443;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** Relative to the working directory. */
    public static final String DEFAULT_DATA_DIRECTORY = "rampart-data";

    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public NodeConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(caKeyAlgorithm, "caKeyAlgorithm");
        if (jdbcUrl != null) {
            // Refuse an unsupported URL before anything is created in the data directory.
            Dialect.of(jdbcUrl);
        }
        hosts = List.copyOf(new LinkedHashSet<>(hosts));
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("give at least one --host for the server certificate");
        }
        for (int port : new int[] {mqttPort, apiPort}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("ports must be 0..65535 (0 = pick a free port), got " + port);
            }
        }
    }

    /** localhost, this machine's host name, 127.0.0.1 and ::1: what a node on a laptop or a single box is reached by. */
    public static List<String> defaultHosts() {
        List<String> hosts = new ArrayList<>();
        hosts.add("localhost");
        try {
            String name = InetAddress.getLocalHost().getHostName();
            // Only a valid DNS name can go into the certificate; a host name like "my_box" would stop the start-up.
            if (DNS_NAME.matcher(name).matches()) {
                hosts.add(name);
            }
        } catch (UnknownHostException e) {
            // A machine whose own name does not resolve is still served by localhost and the loopback addresses;
            // operators who need the name give --host. Nothing is lost by carrying on without it.
        }
        hosts.add("127.0.0.1");
        hosts.add("::1");
        return List.copyOf(new LinkedHashSet<>(hosts));
    }

    /** The host written to endpoint.json and answered by DescribeEndpoint. */
    public String advertisedHost() {
        return hosts.getFirst();
    }

    /** The database to open: {@link #jdbcUrl} or the embedded SQLite file in the data directory. */
    public String effectiveJdbcUrl(DataDirectory data) {
        return jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + data.resolve(DataDirectory.DATABASE_FILE);
    }

    /** The hosts that are DNS names (for the certificate's dNSName entries). */
    List<String> dnsNames() {
        return hosts.stream().filter(h -> !isIpAddress(h)).toList();
    }

    /** The hosts that are IP literals (for the certificate's iPAddress entries). */
    List<String> ipAddresses() {
        return hosts.stream().filter(NodeConfig::isIpAddress).toList();
    }

    static boolean isIpAddress(String host) {
        return host.contains(":") || IPV4.matcher(host).matches();
    }
}
