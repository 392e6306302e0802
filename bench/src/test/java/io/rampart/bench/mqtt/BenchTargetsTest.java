package io.rampart.bench.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.rampart.pki.TlsContexts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The two brokers the bench starts: both take only TLS clients with a certificate from the bench PKI. */
class BenchTargetsTest {
    static BenchPki pki;

    @BeforeAll
    static void pki() {
        pki = new BenchPki(Clock.systemUTC(), new SecureRandom());
    }

    @Test
    void mosquittoIsStartedWithMutualTlsOnLoopbackAndStoppedAfterwards() throws Exception {
        assumeTrue(Files.isExecutable(MosquittoTarget.DEFAULT_BINARY), "no " + MosquittoTarget.DEFAULT_BINARY);
        MemoryGauge memory;
        Endpoint endpoint;
        try (MosquittoTarget mosquitto = MosquittoTarget.start(MosquittoTarget.DEFAULT_BINARY, pki)) {
            endpoint = mosquitto.endpoint();
            memory = mosquitto.memory();
            assertThat(endpoint.host()).isEqualTo("127.0.0.1");
            assertThat(endpoint.port()).isNotEqualTo(1883);
            assertThat(memory.bytes()).isPositive();

            WorkloadResult result = Workload.CONNECT.run(mosquitto, Scale.quick(), "tt");
            assertThat(result.problem()).isEmpty();
            assertThat(result.counts().received()).isEqualTo(Scale.quick().tlsConnections());

            assertWithoutClientCertificateRefused(endpoint);
        }
        long pid = ((MemoryGauge.ProcessRss) memory).pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 500);
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void rampartRunsInProcessWithTheSamePkiAndDeliversEveryQos1Message() throws Exception {
        try (RampartTarget rampart = RampartTarget.start(pki, Clock.systemUTC())) {
            assertThat(rampart.memory()).isInstanceOf(MemoryGauge.ThisJvm.class);

            WorkloadResult result = Workload.QOS1.run(rampart, Scale.quick(), "tt");
            assertThat(result.problem()).isEmpty();
            assertThat(result.counts().received()).isEqualTo(4L * Scale.quick().qos1MessagesPerPublisher());

            assertWithoutClientCertificateRefused(rampart.endpoint());
        }
    }

    @Test
    void rampartInItsOwnJvmServesTheBenchClientsAndStopsWhenClosed() throws Exception {
        long pid;
        try (ForkedRampartTarget rampart = ForkedRampartTarget.start(pki, "256m")) {
            pid = ((MemoryGauge.ProcessRss) rampart.memory()).pid();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(rampart.memory().bytes()).isPositive();

            WorkloadResult result = Workload.CONNECT.run(rampart, Scale.quick(), "tf");
            assertThat(result.problem()).isEmpty();
            assertThat(result.counts().received()).isEqualTo(Scale.quick().tlsConnections());

            assertWithoutClientCertificateRefused(rampart.endpoint());
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    /** A client that trusts the bench CA but presents no certificate must not get in. */
    private static void assertWithoutClientCertificateRefused(Endpoint endpoint) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TlsContexts.trustStore(List.of(pki.ca().certificate())));
        Endpoint anonymous = new Endpoint(endpoint.host(), endpoint.port(),
                Optional.of(MqttClientSslConfig.builder().trustManagerFactory(trust).build()));
        assertThatThrownBy(() -> anonymous.client("bench-anonymous").connect().get(20, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.ExecutionException.class);
    }
}
