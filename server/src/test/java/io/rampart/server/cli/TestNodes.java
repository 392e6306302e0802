package io.rampart.server.cli;

import io.rampart.common.AwsScope;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.server.Node;
import io.rampart.server.NodeConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Nodes for tests: loopback only, ports picked by the OS, embedded SQLite unless a JDBC URL is given. */
final class TestNodes {
    private TestNodes() {
    }

    static NodeConfig config(Path data) {
        return config(data, null);
    }

    static NodeConfig config(Path data, String jdbcUrl) {
        return new NodeConfig(data, jdbcUrl, 0, 0, List.of("localhost", "127.0.0.1"), "127.0.0.1",
                AwsScope.defaults(), null, KeyAlgorithm.EC_P256);
    }

    static Node start(Path data) {
        return Node.start(config(data), Map.of(), Clock.systemUTC(), new SecureRandom());
    }
}
