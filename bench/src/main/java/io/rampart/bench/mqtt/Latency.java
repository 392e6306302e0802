package io.rampart.bench.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end latency at a fixed moderate rate, one publisher to one subscriber in this JVM, at QoS 0 and then QoS 1.
 * Each payload carries the time it was <em>scheduled</em> to be sent (System.nanoTime), not when the publisher got to
 * it, so a stall of the machine or the broker shows up in the latencies instead of being hidden (no coordinated
 * omission). Messages of the warm-up are delivered but not recorded.
 */
record Latency(int rate, Duration warmup, Duration duration) {

    static Latency of(Scale scale) {
        return new Latency(scale.latencyRate(), scale.latencyWarmup(), scale.latencyDuration());
    }

    WorkloadResult run(Endpoint endpoint, String name) throws InterruptedException {
        List<Measure> measures = new ArrayList<>();
        long expected = 0;
        long received = 0;
        long duplicates = 0;
        Optional<String> problem = Optional.empty();
        for (MqttQos qos : List.of(MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE)) {
            Phase phase = phase(endpoint, name + "-q" + qos.getCode(), qos);
            String label = "QoS " + qos.getCode();
            measures.add(new Measure(label + " p50 ms", phase.histogram.getValueAtPercentile(50) / 1e6, false));
            measures.add(new Measure(label + " p99 ms", phase.histogram.getValueAtPercentile(99) / 1e6, false));
            expected += phase.sent;
            received += phase.received.received() - phase.received.duplicates();
            duplicates += phase.received.duplicates();
            long distinct = phase.received.received() - phase.received.duplicates();
            if (problem.isEmpty() && qos == MqttQos.AT_LEAST_ONCE && distinct != phase.sent) {
                problem = Optional.of("QoS 1 latency phase: received " + distinct + " of " + phase.sent);
            } else if (problem.isEmpty() && phase.histogram.getTotalCount() == 0) {
                problem = Optional.of(label + " latency phase: no message was recorded");
            }
        }
        return new WorkloadResult(measures, new WorkloadResult.Counts(expected, received, duplicates), problem);
    }

    private record Phase(long sent, Receipts received, Histogram histogram) {
    }

    private Phase phase(Endpoint endpoint, String name, MqttQos qos) throws InterruptedException {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        int warmupCount = (int) (warmup.toNanos() / periodNanos);
        int total = warmupCount + (int) (duration.toNanos() / periodNanos);
        String topic = "bench/" + name.replace('-', '/') + "/0";
        Receipts receipts = new Receipts(1);
        Histogram histogram = new SynchronizedHistogram(TimeUnit.MINUTES.toNanos(1), 3);
        LongAdder tooSlow = new LongAdder();
        try (Fleet subscriber = Fleet.connect(endpoint, "bench-" + name + "-sub", 1, 1, Fleet.Sessions.CLEAN,
                Throughput.CONNECT_TIMEOUT).requireAll();
             Fleet publisher = Fleet.connect(endpoint, "bench-" + name + "-pub", 1, 1, Fleet.Sessions.CLEAN,
                     Throughput.CONNECT_TIMEOUT).requireAll()) {
            Mqtt5SubAck ack = subscriber.clients().getFirst().subscribeWith().topicFilter(topic).qos(qos)
                    .callback(publish -> {
                        long now = System.nanoTime();
                        ByteBuffer payload = publish.getPayload().orElseThrow();
                        if (receipts.record(payload, now) && Receipts.sequence(payload) >= warmupCount) {
                            long latency = now - Receipts.sentNanos(payload);
                            if (latency > histogram.getHighestTrackableValue()) {
                                tooSlow.increment();
                            } else {
                                histogram.recordValue(latency);
                            }
                        }
                    })
                    .send().get(30, TimeUnit.SECONDS);
            if (ack.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                throw new IllegalStateException("the broker refused the subscription to " + topic + ": " + ack);
            }
            Mqtt5AsyncClient client = publisher.clients().getFirst();
            long start = System.nanoTime();
            int sent = 0;
            for (; sent < total; sent++) {
                long scheduled = start + sent * periodNanos;
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                client.publishWith().topic(topic).qos(qos).payload(Receipts.payload(0, sent, scheduled)).send();
            }
            int published = sent;
            Throughput.awaitDrain(() -> receipts.received() >= published, receipts::received, Duration.ofSeconds(5));
            if (tooSlow.sum() > 0) {
                throw new IllegalStateException(tooSlow.sum() + " messages took more than a minute end to end");
            }
            return new Phase(published, receipts, histogram);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("subscribing to " + topic + " failed: " + e, e);
        }
    }
}
