package io.rampart.broker.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rampart.messaging.QoS;
import io.rampart.messaging.RetainHandling;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The trie must give exactly what brute-force filter matching over every subscription gives. */
class SubscriptionIndexPropertiesTest {
    record Sub(String clientId, String filter, int qos, int identifier) {
    }

    @Property(tries = 400)
    void trieAgreesWithBruteForceMatching(@ForAll("subscriptions") List<Sub> subs, @ForAll("unsubscribes") List<Integer> removals,
                                          @ForAll("topics") List<String> topics) {
        SubscriptionIndex index = new SubscriptionIndex();
        Map<String, Map<String, Sub>> live = new HashMap<>();
        for (Sub sub : subs) {
            index.subscribe(sub.clientId, new TopicFilter(sub.filter), options(sub));
            live.computeIfAbsent(sub.clientId, c -> new HashMap<>()).put(sub.filter, sub);
        }
        for (int r : removals) {
            if (subs.isEmpty()) {
                break;
            }
            Sub sub = subs.get(r % subs.size());
            boolean existed = live.getOrDefault(sub.clientId, Map.of()).containsKey(sub.filter);
            assertThat(index.unsubscribe(sub.clientId, new TopicFilter(sub.filter))).isEqualTo(existed);
            live.getOrDefault(sub.clientId, new HashMap<>()).remove(sub.filter);
        }
        assertThat(index.size()).isEqualTo(live.values().stream().mapToInt(Map::size).sum());

        for (String name : topics) {
            Topic topic = new Topic(name);
            // Brute force: every live non-shared subscription whose filter matches, merged per client.
            Map<String, QoS> expectedQos = new HashMap<>();
            Map<String, TreeSet<Integer>> expectedIds = new HashMap<>();
            Map<String, Integer> expectedGroups = new HashMap<>();
            live.forEach((client, filters) -> filters.values().forEach(sub -> {
                TopicFilter filter = new TopicFilter(sub.filter);
                if (!filter.matches(topic)) {
                    return;
                }
                if (filter.isShared()) {
                    expectedGroups.merge(filter.value(), 1, Integer::sum);
                    return;
                }
                expectedQos.merge(client, QoS.of(sub.qos), QoS::max);
                TreeSet<Integer> ids = expectedIds.computeIfAbsent(client, c -> new TreeSet<>());
                if (sub.identifier > 0) {
                    ids.add(sub.identifier);
                }
            }));

            List<Recipient> recipients = index.match(topic);
            Map<String, QoS> actualQos = new HashMap<>();
            Map<String, TreeSet<Integer>> actualIds = new HashMap<>();
            Map<String, Integer> actualGroups = new HashMap<>();
            for (Recipient r : recipients) {
                if (r.shareGroup() != null) {
                    // Identify the shared subscription by the member's filter: one delivery per (group, filter).
                    String key = live.get(r.clientId()).keySet().stream()
                            .filter(fv -> fv.startsWith("$share/" + r.shareGroup() + "/") && new TopicFilter(fv).matches(topic))
                            .findFirst().orElseThrow();
                    actualGroups.merge(key, 1, Integer::sum);
                    continue;
                }
                assertThat(actualQos.put(r.clientId(), r.qos())).as("one recipient per client").isNull();
                actualIds.put(r.clientId(), new TreeSet<>(r.subscriptionIdentifiers()));
            }
            assertThat(actualQos).as("topic %s", name).isEqualTo(expectedQos);
            assertThat(actualIds).as("identifiers for %s", name).isEqualTo(expectedIds);
            assertThat(actualGroups.values().stream().mapToInt(Integer::intValue).sum())
                    .as("one member per shared subscription for %s", name).isEqualTo(expectedGroups.size());
        }
    }

    private static SubscriptionOptions options(Sub sub) {
        return new SubscriptionOptions(QoS.of(sub.qos), false, false, RetainHandling.SEND_ON_SUBSCRIBE, sub.identifier);
    }

    @Provide
    Arbitrary<List<Sub>> subscriptions() {
        Arbitrary<String> body = Arbitraries.of("a", "b", "", "+", "$x").list().ofMinSize(1).ofMaxSize(4)
                .map(l -> String.join("/", l)).filter(f -> !f.isEmpty());
        Arbitrary<String> filter = Arbitraries.oneOf(body, body.map(f -> f + "/#"), Arbitraries.just("#"));
        Arbitrary<String> maybeShared = Combinators.combine(filter, Arbitraries.of("", "$share/g1/", "$share/g2/"))
                .as((f, prefix) -> prefix + f);
        return Combinators.combine(Arbitraries.of("c1", "c2", "c3", "c4"), maybeShared, Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 3))
                .as(Sub::new).list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<Integer>> unsubscribes() {
        return Arbitraries.integers().between(0, 1000).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<String>> topics() {
        return Arbitraries.of("a", "b", "", "$x", "c").list().ofMinSize(1).ofMaxSize(5)
                .map(l -> String.join("/", l)).filter(t -> !t.isEmpty()).list().ofMinSize(1).ofMaxSize(8);
    }
}
