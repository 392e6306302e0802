package io.rampart.bench.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishers flood a topic per publisher as fast as the {@link CreditWindow} lets them; subscribers (filter
 * {@code base/+}) count what arrives. Throughput is counted from the first publish to the last delivery (or
 * acknowledgement), so a broker that buffers and delivers late is not flattered.
 *
 * @param publishers          publishing clients, one topic each
 * @param subscribers         subscribing clients, each to every publisher's topic
 * @param qos                 QoS of publishes and subscriptions
 * @param sessions            clean or persistent sessions for every client
 * @param messagesPerPublisher the count bound
 * @param window              how far publishers may run ahead of the subscribers, in messages
 */
record Throughput(int publishers, int subscribers, MqttQos qos, Fleet.Sessions sessions, int messagesPerPublisher,
                  int window) {
    static final int CONNECT_CONCURRENCY = 16;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    static Throughput fanIn(Scale scale) {
        return new Throughput(8, 1, MqttQos.AT_MOST_ONCE, Fleet.Sessions.CLEAN, scale.fanInMessagesPerPublisher(), 1_000);
    }

    static Throughput fanOut(Scale scale) {
        return new Throughput(1, 100, MqttQos.AT_MOST_ONCE, Fleet.Sessions.CLEAN, scale.fanOutMessages(), 500);
    }

    /**
     * The window stays far below both brokers' configured per-client queue, so a correct broker drops nothing and
     * every acknowledged message must arrive. (Mosquitto 2.0.11 with its default queue of 1,000 still dropped outgoing
     * messages for this subscriber, hence the larger queue in {@link MosquittoTarget}.)
     */
    static Throughput persistentQos1(Scale scale) {
        return new Throughput(4, 1, MqttQos.AT_LEAST_ONCE, Fleet.Sessions.PERSISTENT, scale.qos1MessagesPerPublisher(), 400);
    }

    /**
     * Runs against {@code endpoint} for at most {@code maxDuration} of publishing.
     *
     * @param name a short unique name for client ids and topics (run id and workload)
     */
    WorkloadResult run(Endpoint endpoint, String name, Duration maxDuration) throws InterruptedException {
        boolean lossAllowed = qos == MqttQos.AT_MOST_ONCE;
        String topicBase = "bench/" + name.replace('-', '/');
        CreditWindow credits = new CreditWindow(window, lossAllowed ? Duration.ofMillis(200) : Duration.ofSeconds(10), lossAllowed);
        List<Receipts> receipts = new ArrayList<>();
        AtomicLong firstDeliveries = new AtomicLong();

        try (Fleet subscriberFleet = Fleet.connect(endpoint, "bench-" + name + "-sub", subscribers, CONNECT_CONCURRENCY,
                sessions, CONNECT_TIMEOUT).requireAll()) {
            List<CompletableFuture<Mqtt5SubAck>> subAcks = new ArrayList<>();
            for (Mqtt5AsyncClient subscriber : subscriberFleet.clients()) {
                Receipts mine = new Receipts(publishers);
                receipts.add(mine);
                subAcks.add(subscriber.subscribeWith().topicFilter(topicBase + "/+").qos(qos)
                        .callback(publish -> {
                            if (mine.record(publish.getPayload().orElseThrow(), System.nanoTime())
                                    && firstDeliveries.incrementAndGet() % subscribers == 0) {
                                // One credit per message once it reached as many deliveries as there are subscribers.
                                credits.release();
                            }
                        })
                        .send());
            }
            for (CompletableFuture<Mqtt5SubAck> subAck : subAcks) {
                Mqtt5SubAck ack = subAck.get(30, TimeUnit.SECONDS);
                if (ack.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                    throw new IllegalStateException("the broker refused the subscription to " + topicBase + "/+: " + ack);
                }
            }
            try (Fleet publisherFleet = Fleet.connect(endpoint, "bench-" + name + "-pub", publishers, CONNECT_CONCURRENCY,
                    sessions, CONNECT_TIMEOUT).requireAll()) {
                return measure(publisherFleet, topicBase, credits, receipts, firstDeliveries, maxDuration);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("subscribing failed: " + e, e);
        }
    }

    private WorkloadResult measure(Fleet publisherFleet, String topicBase, CreditWindow credits, List<Receipts> receipts,
                                   AtomicLong firstDeliveries, Duration maxDuration) throws InterruptedException {
        LongAdder sent = new LongAdder();
        LongAdder acknowledged = new LongAdder();
        LongAdder refused = new LongAdder();
        AtomicLong lastAckNanos = new AtomicLong();
        long start = System.nanoTime();
        long publishDeadline = start + maxDuration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int index = p;
            Mqtt5AsyncClient client = publisherFleet.clients().get(p);
            String topic = topicBase + "/" + p;
            threads.add(Thread.ofPlatform().name("bench-publisher-" + p).start(() -> {
                try {
                    for (int seq = 0; seq < messagesPerPublisher && System.nanoTime() < publishDeadline; seq++) {
                        if (!credits.acquire()) {
                            return;
                        }
                        client.publishWith().topic(topic).qos(qos).payload(Receipts.payload(index, seq, System.nanoTime()))
                                .send().whenComplete((result, error) -> {
                                    if (error == null && result.getError().isEmpty()) {
                                        acknowledged.increment();
                                        lastAckNanos.accumulateAndGet(System.nanoTime(), Math::max);
                                    } else {
                                        refused.increment();
                                    }
                                });
                        sent.increment();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long expected = sent.sum() * subscribers;
        awaitDrain(() -> firstDeliveries.get() >= expected && acknowledged.sum() + refused.sum() >= sent.sum(),
                () -> firstDeliveries.get() + acknowledged.sum(), qos == MqttQos.AT_MOST_ONCE ? Duration.ofSeconds(1) : Duration.ofSeconds(10));

        long received = receipts.stream().mapToLong(Receipts::received).sum();
        long duplicates = receipts.stream().mapToLong(Receipts::duplicates).sum();
        long distinct = received - duplicates;
        long lastDelivery = receipts.stream().mapToLong(Receipts::lastNanos).max().orElse(0);
        List<Measure> measures = new ArrayList<>();
        String deliveredName = subscribers > 1 ? "deliveries/s" : "received msgs/s";
        if (qos == MqttQos.AT_LEAST_ONCE) {
            measures.add(new Measure("acknowledged msgs/s", rate(acknowledged.sum(), start, lastAckNanos.get()), true));
        }
        measures.add(new Measure(deliveredName, rate(distinct, start, lastDelivery), true));
        Optional<String> problem = Optional.empty();
        if (duplicates > 0 && qos == MqttQos.AT_MOST_ONCE) {
            problem = Optional.of(duplicates + " QoS 0 messages were delivered twice");
        } else if (qos == MqttQos.AT_LEAST_ONCE && (distinct != expected || refused.sum() > 0 || acknowledged.sum() != sent.sum())) {
            problem = Optional.of("QoS 1: sent " + sent.sum() + ", acknowledged " + acknowledged.sum() + ", refused "
                    + refused.sum() + ", received " + distinct + " of " + expected + " (every acknowledged message must arrive)");
        } else if (distinct == 0) {
            problem = Optional.of("no message arrived");
        }
        return new WorkloadResult(measures, new WorkloadResult.Counts(expected, distinct, duplicates), problem);
    }

    /** Waits until {@code done}, or until {@code progress} stops moving for {@code quiet}. */
    static void awaitDrain(java.util.function.BooleanSupplier done, java.util.function.LongSupplier progress, Duration quiet)
            throws InterruptedException {
        long last = progress.getAsLong();
        long lastChange = System.nanoTime();
        while (!done.getAsBoolean() && System.nanoTime() - lastChange < quiet.toNanos()) {
            Thread.sleep(10);
            long now = progress.getAsLong();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
    }

    /** Events per second between {@code startNanos} and {@code endNanos}; 0 when nothing happened. */
    static double rate(long events, long startNanos, long endNanos) {
        if (events == 0 || endNanos <= startNanos) {
            return 0;
        }
        return events / ((endNanos - startNanos) / 1e9);
    }
}
