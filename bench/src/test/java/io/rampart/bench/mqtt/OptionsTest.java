package io.rampart.bench.mqtt;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    @Test
    void withoutArgumentsEveryWorkloadRunsAgainstBothTargetsAtFullSize() {
        Options options = Options.parse();

        assertThat(options.quick()).isFalse();
        assertThat(options.workloads()).containsExactly(Workload.values());
        assertThat(options.targets()).isEqualTo(Set.of("mosquitto", "rampart"));
        assertThat(options.external()).isEmpty();
        assertThat(options.mosquittoBin()).isEqualTo(MosquittoTarget.DEFAULT_BINARY);
        assertThat(options.rampartProcess()).isFalse();
    }

    @Test
    void theGatewayCanRunInItsOwnJvm() {
        assertThat(Options.parse("--rampart-process").rampartProcess()).isTrue();
    }

    @Test
    void workloadsRunInTheirFixedOrderWhateverOrderTheyAreNamedIn() {
        Options options = Options.parse("--quick", "--workload", "latency,idle", "--workload", "fan-in");

        assertThat(options.quick()).isTrue();
        assertThat(options.workloads()).isEqualTo(List.of(Workload.IDLE, Workload.FAN_IN, Workload.LATENCY));
    }

    @Test
    void anExternalTargetTakesItsTlsFilesAndPid() {
        Options options = Options.parse("--target", "node.local:8883", "--ca", "ca.pem", "--cert", "c.pem",
                "--key", "k.pem", "--target-pid", "4242", "--only", "rampart");

        assertThat(options.external()).contains(new Options.HostPort("node.local", 8883));
        assertThat(options.caFile()).contains(Path.of("ca.pem"));
        assertThat(options.targetPid()).hasValue(4242);
        assertThat(options.targets()).containsExactly("rampart");
    }

    @Test
    void badCommandLinesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Options.parse("--fast")).hasMessageContaining("unknown option '--fast'");
        assertThatThrownBy(() -> Options.parse("--workload", "fanin")).hasMessageContaining("unknown workload 'fanin'")
                .hasMessageContaining("fan-in");
        assertThatThrownBy(() -> Options.parse("--workload")).hasMessageContaining("--workload needs a value");
        assertThatThrownBy(() -> Options.parse("--only", "hivemq")).hasMessageContaining("mosquitto or rampart");
        assertThatThrownBy(() -> Options.parse("--target", "8883", "--ca", "a", "--cert", "b", "--key", "c"))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> Options.parse("--target", "h:x", "--ca", "a", "--cert", "b", "--key", "c"))
                .hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> Options.parse("--target", "h:8883", "--ca", "a"))
                .hasMessageContaining("--target needs --ca, --cert and --key");
        assertThatThrownBy(() -> Options.parse("--ca", "a")).hasMessageContaining("go with --target");
        assertThatThrownBy(() -> Options.parse("--rampart-process", "--target", "h:1", "--ca", "a", "--cert", "b", "--key", "c"))
                .hasMessageContaining("pick one");
        assertThatThrownBy(() -> Options.parse("--target", "h:1", "--ca", "a", "--cert", "b", "--key", "c", "--target-pid", "x"))
                .hasMessageContaining("--target-pid must be a number");
    }
}
