package io.rampart.bench.broker;

import io.rampart.broker.subscriptions.Recipient;
import io.rampart.broker.subscriptions.SubscriptionIndex;
import io.rampart.messaging.QoS;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SubscriptionIndex#match} over 10,000 subscriptions shaped like an AWS IoT fleet: 2,000 things, each
 * subscribed to its shadow replies, shadow delta, jobs notifications and its command tree, plus fleet-wide
 * application subscriptions with '+' and a shared subscription group. Each PUBLISH on the broker does one match.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SubscriptionMatchBenchmark {
    private static final int THINGS = 2_000;

    private SubscriptionIndex index;
    private Topic[] shadowDeltas;
    private Topic[] telemetry;
    private Topic[] misses;

    @Setup
    public void build() {
        index = new SubscriptionIndex();
        SubscriptionOptions qos1 = SubscriptionOptions.of(QoS.AT_LEAST_ONCE);
        for (int i = 0; i < THINGS; i++) {
            String thing = "thing-" + i;
            index.subscribe(thing, new TopicFilter("$aws/things/" + thing + "/shadow/update/accepted"), qos1);
            index.subscribe(thing, new TopicFilter("$aws/things/" + thing + "/shadow/update/delta"), qos1);
            index.subscribe(thing, new TopicFilter("$aws/things/" + thing + "/shadow/get/+"), qos1);
            index.subscribe(thing, new TopicFilter("$aws/things/" + thing + "/jobs/notify-next"), qos1);
            index.subscribe(thing, new TopicFilter("cmd/" + thing + "/#"), qos1);
        }
        // Fleet-wide consumers: dashboards per site, an alarm service, a shared analytics group.
        for (int site = 0; site < 50; site++) {
            index.subscribe("dashboard-" + site, new TopicFilter("telemetry/site-" + site + "/+/temperature"), qos1);
        }
        index.subscribe("alarms", new TopicFilter("telemetry/+/+/alarm"), qos1);
        for (int member = 0; member < 8; member++) {
            index.subscribe("analytics-" + member, new TopicFilter("$share/analytics/telemetry/#"), qos1);
        }
        index.subscribe("shadow-service", new TopicFilter("$aws/things/+/shadow/update"), qos1);
        shadowDeltas = new Topic[THINGS];
        telemetry = new Topic[THINGS];
        misses = new Topic[THINGS];
        for (int i = 0; i < THINGS; i++) {
            shadowDeltas[i] = new Topic("$aws/things/thing-" + i + "/shadow/update/delta");
            telemetry[i] = new Topic("telemetry/site-" + (i % 50) + "/thing-" + i + "/temperature");
            misses[i] = new Topic("other/thing-" + i + "/status");
        }
    }

    /** A shadow delta for one thing: one exact-path recipient among 10k subscriptions. */
    @Benchmark
    public List<Recipient> shadowDelta() {
        return index.match(shadowDeltas[ThreadLocalRandom.current().nextInt(THINGS)]);
    }

    /** Device telemetry: a '+' dashboard subscription and one shared-group member. */
    @Benchmark
    public List<Recipient> telemetry() {
        return index.match(telemetry[ThreadLocalRandom.current().nextInt(THINGS)]);
    }

    /** A topic nobody subscribed to. */
    @Benchmark
    public List<Recipient> noSubscriber() {
        return index.match(misses[ThreadLocalRandom.current().nextInt(THINGS)]);
    }

    /** A reconnecting device's SUBSCRIBE and UNSUBSCRIBE of its command tree (the write path, under the index lock). */
    @Benchmark
    public boolean subscribeAndUnsubscribe() {
        int i = ThreadLocalRandom.current().nextInt(THINGS);
        TopicFilter filter = new TopicFilter("cmd/thing-" + i + "/reboot/+");
        index.subscribe("thing-" + i, filter, SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        return index.unsubscribe("thing-" + i, filter);
    }

    /** Shadow deltas matched from two threads at once (readers never lock). */
    @Benchmark
    @Threads(2)
    public List<Recipient> shadowDeltaTwoThreads() {
        return index.match(shadowDeltas[ThreadLocalRandom.current().nextInt(THINGS)]);
    }
}
