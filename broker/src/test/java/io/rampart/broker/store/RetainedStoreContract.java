package io.rampart.broker.store;

import io.rampart.store.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageProperties;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.messaging.UserProperty;
import io.rampart.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour of {@link RetainedStore} on a real database; run on SQLite and PostgreSQL by the subclasses. */
abstract class RetainedStoreContract {
    private final TestDatabase db;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private BrokerStorage storage;
    private RetainedStore retained;
    private String root;

    RetainedStoreContract(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void open() {
        storage = BrokerStorage.open(db.database(), clock, CommitSettings.DEFAULTS);
        retained = storage.retained();
        root = "r" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private Message retain(String topic, String payload) {
        Message message = Message.of(new Topic(topic), payload.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, true);
        retained.retain(message).join();
        return message;
    }

    private List<String> matching(String filter) {
        return retained.matching(new TopicFilter(filter), clock.instant()).stream().map(m -> m.topic().value()).sorted().toList();
    }

    @Test
    void retainReplacesAndAnEmptyPayloadDeletes() {
        retain(root + "/a", "one");
        Message second = retain(root + "/a", "two");
        assertThat(retained.get(new Topic(root + "/a"), clock.instant())).contains(second);
        retain(root + "/a", "");
        assertThat(retained.get(new Topic(root + "/a"), clock.instant())).isEmpty();
    }

    @Test
    void matchingFollowsTopicFilterRules() {
        for (String topic : List.of("/a", "/a/b", "/a/b/c", "/ab", "/a0", "/b/b", "/a/", "/a.b")) {
            retain(root + topic, "x");
        }
        assertThat(matching(root + "/a/#")).containsExactly(root + "/a", root + "/a/", root + "/a/b", root + "/a/b/c");
        assertThat(matching(root + "/+/b")).containsExactly(root + "/a/b", root + "/b/b");
        assertThat(matching(root + "/a")).containsExactly(root + "/a");
        assertThat(matching(root + "/a/+")).containsExactly(root + "/a/", root + "/a/b");
        assertThat(matching("$share/g/" + root + "/a/b/#")).containsExactly(root + "/a/b", root + "/a/b/c");
        assertThat(matching(root + "/nothing/#")).isEmpty();
        assertThat(matching("+/a/b")).containsExactly(root + "/a/b");
    }

    @Test
    void wildcardFiltersDoNotMatchDollarTopics() {
        retain("$aws/things/" + root + "/shadow/update", "x");
        assertThat(matching("#")).doesNotContain("$aws/things/" + root + "/shadow/update");
        assertThat(matching("$aws/things/" + root + "/#")).containsExactly("$aws/things/" + root + "/shadow/update");
    }

    @Test
    void expiredRetainedMessagesAreNotReturnedAndAreSwept() {
        Message message = new Message(new Topic(root + "/e"), new byte[] {1}, QoS.AT_MOST_ONCE, true,
                clock.instant().plusSeconds(30), MessageProperties.NONE);
        retained.retain(message).join();
        assertThat(retained.get(message.topic(), clock.instant())).contains(message);
        clock.advance(Duration.ofSeconds(30));
        assertThat(retained.get(message.topic(), clock.instant())).isEmpty();
        assertThat(matching(root + "/#")).isEmpty();
        storage.sessions().expire(clock.instant()).join();
        assertThat(retained.get(message.topic(), Instant.EPOCH)).isEmpty();
    }

    @Test
    void allReturnsEveryUnexpiredRetainedMessageIncludingDollarTopics() {
        retain(root + "/all/a", "a");
        retain("$aws/things/" + root + "/all", "b");
        retained.retain(new Message(new Topic(root + "/all/gone"), new byte[] {1}, QoS.AT_MOST_ONCE, true,
                clock.instant().minusSeconds(1), MessageProperties.NONE)).join();
        assertThat(retained.all(clock.instant())).extracting(m -> m.topic().value())
                .contains(root + "/all/a", "$aws/things/" + root + "/all")
                .doesNotContain(root + "/all/gone");
    }

    @Test
    void propertiesAreKept() {
        Message message = new Message(new Topic(root + "/p"), new byte[] {9}, QoS.EXACTLY_ONCE, true, null,
                new MessageProperties(false, "text/plain", null, null, List.of(new UserProperty("a", "b"))));
        retained.retain(message).join();
        assertThat(retained.matching(new TopicFilter(root + "/+"), clock.instant())).containsExactly(message);
    }

    @Test
    void listPagesThroughTopicsInOrder() {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            topics.add("list/" + root + "/" + i);
            retain("list/" + root + "/" + i, "p".repeat(i + 1));
        }
        // Other tests' retained messages share the database: list them all and keep ours.
        List<RetainedSummary> seen = new ArrayList<>();
        Page.Request request = Page.Request.first(3);
        while (true) {
            Page<RetainedSummary> page = retained.list(request, clock.instant());
            assertThat(page.items().size()).isLessThanOrEqualTo(3);
            seen.addAll(page.items());
            if (!page.hasMore()) {
                break;
            }
            request = new Page.Request(3, page.nextToken());
        }
        List<RetainedSummary> ours = seen.stream().filter(s -> s.topic().value().startsWith("list/" + root + "/")).toList();
        assertThat(ours).extracting(s -> s.topic().value()).isEqualTo(topics);
        assertThat(ours).extracting(RetainedSummary::payloadSize).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(ours.getFirst().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(ours.getFirst().lastModifiedTime()).isEqualTo(clock.instant());
    }

    @Test
    void aForgedNextTokenIsAnInvalidRequest() {
        assertThatThrownBy(() -> retained.list(new Page.Request(5, "%%%not-base64"), clock.instant()))
                .isInstanceOf(RampartException.class)
                .hasMessageContaining("nextToken is not a token returned by ListRetainedMessages");
    }
}
