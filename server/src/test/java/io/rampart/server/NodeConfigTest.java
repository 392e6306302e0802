package io.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.AwsScope;
import io.rampart.pki.KeyAlgorithm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
    private static NodeConfig withHosts(List<String> hosts) {
        return new NodeConfig(Path.of("data"), null, 8883, 8443, hosts, "0.0.0.0", AwsScope.defaults(), null, KeyAlgorithm.DEFAULT);
    }

    @Test
    void theDefaultHostsAdvertiseLocalhostAndCoverTheLoopbackAddresses() {
        List<String> hosts = NodeConfig.defaultHosts();

        assertThat(hosts.getFirst()).isEqualTo("localhost");
        assertThat(hosts).contains("127.0.0.1", "::1").doesNotHaveDuplicates();
    }

    @Test
    void hostsAreSplitIntoDnsNamesAndIpAddressesForTheCertificate() {
        NodeConfig config = withHosts(List.of("iot.example.com", "10.0.0.7", "fe80::1", "localhost", "iot.example.com"));

        assertThat(config.advertisedHost()).isEqualTo("iot.example.com");
        assertThat(config.dnsNames()).containsExactly("iot.example.com", "localhost");
        assertThat(config.ipAddresses()).containsExactly("10.0.0.7", "fe80::1");
    }

    @Test
    void withoutDbTheStoreIsTheSqliteFileInTheDataDirectory(@org.junit.jupiter.api.io.TempDir Path temp) {
        DataDirectory data = DataDirectory.open(temp);

        assertThat(withHosts(List.of("localhost")).effectiveJdbcUrl(data)).isEqualTo("jdbc:sqlite:" + temp.resolve("rampart.db"));
    }

    @Test
    void badValuesAreRefusedWithWhatToGive() {
        assertThatThrownBy(() -> withHosts(List.of())).hasMessageContaining("--host");
        assertThatThrownBy(() -> new NodeConfig(Path.of("d"), null, 70000, 0, List.of("localhost"), "0.0.0.0",
                AwsScope.defaults(), null, KeyAlgorithm.DEFAULT)).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> new NodeConfig(Path.of("d"), "jdbc:oracle:thin:@x", 0, 0, List.of("localhost"), "0.0.0.0",
                AwsScope.defaults(), null, KeyAlgorithm.DEFAULT)).hasMessageContaining("jdbc:postgresql://");
    }
}
