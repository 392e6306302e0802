package io.rampart.broker.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rampart.messaging.QoS;
import io.rampart.messaging.RetainHandling;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {
    private final SubscriptionIndex index = new SubscriptionIndex();

    private static TopicFilter f(String filter) {
        return new TopicFilter(filter);
    }

    private static Topic t(String topic) {
        return new Topic(topic);
    }

    private static SubscriptionOptions options(QoS qos, int identifier) {
        return new SubscriptionOptions(qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, identifier);
    }

    private List<String> clients(String topic) {
        return index.match(t(topic)).stream().map(Recipient::clientId).sorted().toList();
    }

    @Test
    void matchesExactAndWildcardFilters() {
        index.subscribe("c1", f("$aws/things/lamp/shadow/update/accepted"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        index.subscribe("c2", f("$aws/things/+/shadow/#"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        index.subscribe("c3", f("#"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        index.subscribe("c4", f("sensors/+/temperature"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));

        assertThat(clients("$aws/things/lamp/shadow/update/accepted")).containsExactly("c1", "c2");
        assertThat(clients("sensors/kitchen/temperature")).containsExactly("c3", "c4");
        assertThat(clients("sensors/kitchen")).containsExactly("c3");
        assertThat(clients("$SYS/uptime")).isEmpty();
    }

    @Test
    void hashMatchesTheParentLevel() {
        index.subscribe("c1", f("sport/#"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        assertThat(clients("sport")).containsExactly("c1");
        assertThat(clients("sport/tennis/x")).containsExactly("c1");
        assertThat(clients("sports")).isEmpty();
    }

    @Test
    void overlappingSubscriptionsOfOneClientGiveOneRecipientWithMaxQosAndAllIdentifiers() {
        index.subscribe("c1", f("a/+"), options(QoS.AT_MOST_ONCE, 7));
        index.subscribe("c1", f("a/#"), options(QoS.EXACTLY_ONCE, 0));
        index.subscribe("c1", f("a/b"), options(QoS.AT_LEAST_ONCE, 9));

        List<Recipient> recipients = index.match(t("a/b"));
        assertThat(recipients).hasSize(1);
        Recipient r = recipients.getFirst();
        assertThat(r.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(r.subscriptionIdentifiers()).containsExactlyInAnyOrder(7, 9);
        assertThat(r.shareGroup()).isNull();
    }

    @Test
    void resubscribingReplacesOptionsAndReturnsThePreviousOnes() {
        assertThat(index.subscribe("c1", f("a"), SubscriptionOptions.of(QoS.AT_MOST_ONCE))).isEmpty();
        assertThat(index.subscribe("c1", f("a"), SubscriptionOptions.of(QoS.EXACTLY_ONCE)))
                .contains(SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.match(t("a"))).singleElement().extracting(Recipient::qos).isEqualTo(QoS.EXACTLY_ONCE);
    }

    @Test
    void noLocalSkipsThePublishersOwnSubscription() {
        index.subscribe("c1", f("chat/#"), new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE, 0));
        index.subscribe("c2", f("chat/#"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        assertThat(index.match(t("chat/room"), "c1", id -> true)).extracting(Recipient::clientId).containsExactly("c2");
        assertThat(index.match(t("chat/room"), "c2", id -> true)).extracting(Recipient::clientId).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void retainAsPublishedWhenAnyMatchingSubscriptionAsks() {
        index.subscribe("c1", f("a/+"), new SubscriptionOptions(QoS.AT_MOST_ONCE, false, true, RetainHandling.SEND_ON_SUBSCRIBE, 0));
        index.subscribe("c1", f("a/b"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        assertThat(index.match(t("a/b")).getFirst().retainAsPublished()).isTrue();
        assertThat(index.match(t("a/c")).getFirst().retainAsPublished()).isTrue();
    }

    @Test
    void sharedSubscriptionDeliversToOneMemberPerGroupRoundRobin() {
        for (String member : List.of("m1", "m2", "m3")) {
            index.subscribe(member, f("$share/workers/jobs/#"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        }
        index.subscribe("x1", f("$share/audit/jobs/#"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        index.subscribe("m1", f("jobs/#"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));

        Map<String, Integer> received = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            List<Recipient> recipients = index.match(t("jobs/" + i));
            List<Recipient> workers = recipients.stream().filter(r -> "workers".equals(r.shareGroup())).toList();
            assertThat(workers).hasSize(1);
            assertThat(recipients.stream().filter(r -> "audit".equals(r.shareGroup()))).hasSize(1);
            // m1's own non-shared subscription is a separate delivery.
            assertThat(recipients.stream().filter(r -> r.shareGroup() == null).map(Recipient::clientId)).containsExactly("m1");
            received.merge(workers.getFirst().clientId(), 1, Integer::sum);
        }
        assertThat(received).containsOnly(Map.entry("m1", 10), Map.entry("m2", 10), Map.entry("m3", 10));
    }

    @Test
    void sharedSubscriptionPrefersAvailableMembersAndFallsBackToAny() {
        index.subscribe("m1", f("$share/g/q"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        index.subscribe("m2", f("$share/g/q"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        for (int i = 0; i < 5; i++) {
            assertThat(index.match(t("q"), null, id -> id.equals("m2"))).singleElement().extracting(Recipient::clientId).isEqualTo("m2");
        }
        assertThat(index.match(t("q"), null, id -> false)).hasSize(1);
    }

    @Test
    void unsubscribeRemovesAndPrunes() {
        index.subscribe("c1", f("a/b/c"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        index.subscribe("c2", f("a/b/c"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        index.subscribe("c1", f("$share/g/a/b/c"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));

        assertThat(index.unsubscribe("c1", f("a/b/c"))).isTrue();
        assertThat(index.unsubscribe("c1", f("a/b/c"))).isFalse();
        assertThat(index.unsubscribe("nobody", f("a/b/c"))).isFalse();
        assertThat(clients("a/b/c")).containsExactly("c1", "c2"); // c1 via the shared group
        assertThat(index.unsubscribe("c1", f("$share/g/a/b/c"))).isTrue();
        assertThat(clients("a/b/c")).containsExactly("c2");
        assertThat(index.unsubscribeAll("c2")).isEqualTo(1);
        assertThat(index.match(t("a/b/c"))).isEmpty();
        assertThat(index.size()).isZero();
        // After pruning, subscribing again works from an empty trie.
        index.subscribe("c3", f("a/b/c"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        assertThat(clients("a/b/c")).containsExactly("c3");
    }

    @Test
    void subscriptionsOfListsAClientsFilters() {
        index.subscribe("c1", f("a"), SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        index.subscribe("c1", f("$share/g/b"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        assertThat(index.subscriptionsOf("c1")).containsOnlyKeys(f("a"), f("$share/g/b"));
        assertThat(index.subscriptionsOf("c2")).isEmpty();
    }

    @Test
    void concurrentWritersAndReadersKeepTheIndexConsistent() throws Exception {
        int writers = 4;
        int perWriter = 2_000;
        // A stable subscriber that concurrent pruning of its siblings must never lose.
        index.subscribe("stable", f("devices/+/telemetry"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perWriter; i++) {
                    String client = "w" + writer + "-" + i;
                    TopicFilter filter = f("devices/d" + (i % 50) + "/telemetry");
                    index.subscribe(client, filter, SubscriptionOptions.of(QoS.AT_MOST_ONCE));
                    if (i % 2 == 0) {
                        index.unsubscribe(client, filter);
                    }
                }
                return null;
            }));
        }
        for (int r = 0; r < 2; r++) {
            futures.add(pool.submit(() -> {
                start.await();
                while (!stop.get()) {
                    List<Recipient> recipients = index.match(t("devices/d7/telemetry"));
                    assertThat(recipients).extracting(Recipient::clientId).contains("stable");
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures.subList(0, writers)) {
            future.get();
        }
        stop.set(true);
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();

        assertThat(index.size()).isEqualTo(1 + writers * perWriter / 2);
        Set<String> expected = new java.util.HashSet<>();
        expected.add("stable");
        for (int w = 0; w < writers; w++) {
            for (int i = 1; i < perWriter; i += 2) {
                if (i % 50 == 7) {
                    expected.add("w" + w + "-" + i);
                }
            }
        }
        assertThat(index.match(t("devices/d7/telemetry"))).extracting(Recipient::clientId).containsExactlyInAnyOrderElementsOf(expected);
    }
}
