package io.rampart.shadow;

import io.rampart.store.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.AwsScope;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.messaging.ClientConnection;
import io.rampart.messaging.Delivery;
import io.rampart.messaging.Message;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Registration;
import io.rampart.messaging.Topic;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Registry;
import io.rampart.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The shadow service on a real database and registry; run on SQLite and PostgreSQL by the two subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShadowServiceContract {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final AwsScope SCOPE = AwsScope.defaults();
    private static final AtomicInteger THINGS = new AtomicInteger();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RecordingBus bus = new RecordingBus();
    private Registry registry;
    private ShadowService shadows;
    private TestDatabase testDb;
    private ExecutorService threads;

    @BeforeAll
    void open(TestDatabase testDb) {
        this.testDb = testDb;
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Shadow Test Root", clock, new SecureRandom());
        registry = Registry.open(testDb.database(), ca, new PolicyEngine(SCOPE, clock), SCOPE, clock);
        shadows = ShadowService.open(testDb.database(), registry.things(), bus, clock);
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    void close() {
        threads.shutdownNow();
    }

    @BeforeEach
    void forgetPublications() {
        bus.drain();
    }

    private String newThing() {
        String name = "thing-" + THINGS.incrementAndGet();
        registry.things().create(name, null, java.util.Map.of());
        return name;
    }

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(bytes(json));
    }

    private static JsonNode payload(Message message) throws Exception {
        return JSON.readTree(message.payload());
    }

    private static void expectError(ErrorType type, String message, Callable<?> call) {
        assertThatThrownBy(call::call).isInstanceOfSatisfying(RampartException.class, e -> {
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void updateIsStoredReturnedByGetAndAnnouncedOnTheBus() throws Exception {
        String thing = newThing();
        ShadowKey key = ShadowKey.classic(thing);
        shadows.update(key, bytes("{'state':{'desired':{'color':'red'},'reported':{'color':'blue'}},'clientToken':'t1'}"));

        JsonNode doc = shadows.get(key);
        assertThat(doc.get("state")).isEqualTo(tree("{'desired':{'color':'red'},'reported':{'color':'blue'},'delta':{'color':'red'}}"));
        assertThat(doc.get("version").asLong()).isEqualTo(1);
        assertThat(doc.has("clientToken")).isFalse();

        List<Message> published = bus.drain();
        String prefix = "$aws/things/" + thing + "/shadow/";
        assertThat(published).extracting(m -> m.topic().value())
                .containsExactly(prefix + "update/accepted", prefix + "update/documents", prefix + "update/delta");
        assertThat(published).allSatisfy(m -> assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE));
        assertThat(payload(published.get(0)).get("clientToken").asText()).isEqualTo("t1");
        assertThat(payload(published.get(2)).get("state")).isEqualTo(tree("{'color':'red'}"));
    }

    @Test
    void storedShadowSurvivesAReopenedDatabase() throws Exception {
        String thing = newThing();
        ShadowKey key = new ShadowKey(thing, "config");
        shadows.update(key, bytes("{'state':{'reported':{'fw':'1.2'}}}"));
        shadows.update(key, bytes("{'state':{'reported':{'fw':'1.3'}}}"));

        ShadowService other = ShadowService.open(testDb.openAnother(), registry.things(), new RecordingBus(), clock);
        JsonNode doc = other.get(key);
        assertThat(doc.get("state").get("reported")).isEqualTo(tree("{'fw':'1.3'}"));
        assertThat(doc.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void unknownThingIsNotFoundAndNothingIsStored() {
        ShadowKey key = ShadowKey.classic("no-such-thing-" + THINGS.incrementAndGet());
        expectError(ErrorType.RESOURCE_NOT_FOUND, "Thing not found", () -> shadows.update(key, bytes("{'state':{'reported':{'a':1}}}")));
        expectError(ErrorType.RESOURCE_NOT_FOUND, "Thing not found", () -> shadows.get(key));
        expectError(ErrorType.RESOURCE_NOT_FOUND, "Thing not found", () -> shadows.delete(key, new byte[0]));
        expectError(ErrorType.RESOURCE_NOT_FOUND, "Thing not found", () -> shadows.listNamedShadows(key.thingName(), Page.Request.first(10)));

        registry.things().create(key.thingName(), null, java.util.Map.of());
        expectError(ErrorType.RESOURCE_NOT_FOUND, "No shadow exists with name: '" + key.thingName() + "'", () -> shadows.get(key));
        assertThat(bus.drain()).isEmpty();
    }

    @Test
    void rejectedUpdatesChangeNothing() throws Exception {
        String thing = newThing();
        ShadowKey key = new ShadowKey(thing, "s");
        shadows.update(key, bytes("{'state':{'reported':{'a':1}}}"));
        bus.drain();

        expectError(ErrorType.INVALID_REQUEST, "Invalid JSON", () -> shadows.update(key, bytes("{'state':")));
        expectError(ErrorType.INVALID_REQUEST, "JSON contains too many levels of nesting; maximum is 6",
                () -> shadows.update(key, bytes("{'state':{'reported':{'1':{'2':{'3':{'4':{'5':{'6':{'7':0}}}}}}}}}")));
        expectError(ErrorType.REQUEST_ENTITY_TOO_LARGE, "The payload exceeds the maximum size allowed",
                () -> shadows.update(key, bytes("{'state':{'reported':{'b':'" + "x".repeat(8_200) + "'}}}")));
        expectError(ErrorType.CONFLICT, "Version conflict", () -> shadows.update(key, bytes("{'state':{'reported':{'a':2}},'version':5}")));

        JsonNode doc = shadows.get(key);
        assertThat(doc.get("state").get("reported")).isEqualTo(tree("{'a':1}"));
        assertThat(doc.get("version").asLong()).isEqualTo(1);
        assertThat(bus.drain()).isEmpty();
    }

    @Test
    void deleteRemovesTheShadowButNotItsVersion() throws Exception {
        String thing = newThing();
        ShadowKey key = new ShadowKey(thing, "cfg");
        shadows.update(key, bytes("{'state':{'desired':{'a':1}}}"));
        shadows.update(key, bytes("{'state':{'desired':{'a':2}}}"));
        expectError(ErrorType.CONFLICT, "Version conflict", () -> shadows.delete(key, bytes("{'version':1}")));
        bus.drain();

        JsonNode deleted = shadows.delete(key, bytes("{'version':2,'clientToken':'d'}"));
        assertThat(deleted.get("version").asLong()).isEqualTo(2);
        assertThat(deleted.get("clientToken").asText()).isEqualTo("d");
        assertThat(bus.drain()).extracting(m -> m.topic().value())
                .containsExactly("$aws/things/" + thing + "/shadow/name/cfg/delete/accepted");
        expectError(ErrorType.RESOURCE_NOT_FOUND, "No shadow exists with name: 'cfg'", () -> shadows.get(key));
        expectError(ErrorType.RESOURCE_NOT_FOUND, "No shadow exists with name: 'cfg'", () -> shadows.delete(key, new byte[0]));

        JsonNode recreated = shadows.update(key, bytes("{'state':{'desired':{'b':1}}}"));
        assertThat(recreated.get("version").asLong()).isEqualTo(3);
        assertThat(shadows.get(key).get("state")).isEqualTo(tree("{'desired':{'b':1},'delta':{'b':1}}"));
    }

    @Test
    void aShadowDeletedMoreThanFortyEightHoursAgoStartsAgainFromVersionOne() {
        String thing = newThing();
        ShadowKey recent = new ShadowKey(thing, "recent");
        ShadowKey old = new ShadowKey(thing, "old");
        for (ShadowKey key : List.of(recent, old)) {
            shadows.update(key, bytes("{'state':{'reported':{'a':1}}}"));
            shadows.update(key, bytes("{'state':{'reported':{'a':2}}}"));
        }
        shadows.delete(old, new byte[0]);
        clock.advance(Duration.ofHours(47));
        shadows.delete(recent, new byte[0]);
        clock.advance(Duration.ofHours(2));

        assertThat(shadows.update(recent, bytes("{'state':{'reported':{'a':3}}}")).get("version").asLong()).isEqualTo(3);
        assertThat(shadows.update(old, bytes("{'state':{'reported':{'a':3}}}")).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void shadowNamesFollowTheDataPlaneModel() {
        String thing = newThing();
        assertThat(shadows.update(new ShadowKey(thing, "$package"), bytes("{'state':{'reported':{'a':1}}}"))
                .get("version").asLong()).isEqualTo(1);
        assertThatThrownBy(() -> new ShadowKey(thing, "x".repeat(65))).isInstanceOf(RampartException.class);
        assertThatThrownBy(() -> new ShadowKey(thing, "")).isInstanceOf(RampartException.class);
        assertThatThrownBy(() -> new ShadowKey(thing, "a/b")).isInstanceOf(RampartException.class);
        assertThatThrownBy(() -> new ShadowKey("bad thing", null)).isInstanceOf(RampartException.class);
        assertThat(new ShadowKey(thing, "x".repeat(64)).topicPrefix()).isEqualTo("$aws/things/" + thing + "/shadow/name/" + "x".repeat(64) + "/");
    }

    @Test
    void namedShadowsAreListedByNameInPagesWithoutClassicOrDeletedOnes() {
        String thing = newThing();
        shadows.update(ShadowKey.classic(thing), bytes("{'state':{'reported':{'a':1}}}"));
        for (String name : List.of("delta", "alpha", "echo", "charlie", "bravo")) {
            shadows.update(new ShadowKey(thing, name), bytes("{'state':{'reported':{'a':1}}}"));
        }
        shadows.delete(new ShadowKey(thing, "charlie"), new byte[0]);

        Page<String> first = shadows.listNamedShadows(thing, Page.Request.first(2));
        assertThat(first.items()).containsExactly("alpha", "bravo");
        Page<String> second = shadows.listNamedShadows(thing, new Page.Request(2, first.nextToken()));
        assertThat(second.items()).containsExactly("delta", "echo");
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void aDeletedThingsShadowsAreGoneForANewThingOfTheSameName() throws Exception {
        String thing = newThing();
        shadows.update(ShadowKey.classic(thing), bytes("{'state':{'reported':{'old':true}}}"));
        shadows.update(new ShadowKey(thing, "n"), bytes("{'state':{'reported':{'old':true}}}"));

        registry.things().delete(thing, null);
        expectError(ErrorType.RESOURCE_NOT_FOUND, "Thing not found", () -> shadows.get(ShadowKey.classic(thing)));
        registry.things().create(thing, null, java.util.Map.of());

        expectError(ErrorType.RESOURCE_NOT_FOUND, "No shadow exists with name: '" + thing + "'", () -> shadows.get(ShadowKey.classic(thing)));
        assertThat(shadows.listNamedShadows(thing, Page.Request.first(10)).items()).isEmpty();
        JsonNode fresh = shadows.update(ShadowKey.classic(thing), bytes("{'state':{'reported':{'new':true}}}"));
        assertThat(fresh.get("version").asLong()).isEqualTo(1);
        assertThat(shadows.get(ShadowKey.classic(thing)).get("state")).isEqualTo(tree("{'reported':{'new':true}}"));

        assertThat(shadows.deleteThingShadows(thing)).isEqualTo(2);
        expectError(ErrorType.RESOURCE_NOT_FOUND, "No shadow exists with name: '" + thing + "'", () -> shadows.get(ShadowKey.classic(thing)));
    }

    @Test
    void concurrentUpdatesExpectingTheSameVersionAcceptExactlyOne() throws Exception {
        for (int round = 0; round < 10; round++) {
            String thing = newThing();
            ShadowKey key = new ShadowKey(thing, "race");
            shadows.update(key, bytes("{'state':{'reported':{'n':0}}}"));
            List<Callable<String>> racers = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 1; i <= 4; i++) {
                int n = i;
                racers.add(() -> {
                    start.await();
                    try {
                        shadows.update(key, bytes("{'state':{'reported':{'n':" + n + "}},'version':1}"));
                        return "accepted";
                    } catch (RampartException e) {
                        return e.type() + " " + e.getMessage();
                    }
                });
            }
            List<Future<String>> results = new ArrayList<>();
            for (Callable<String> racer : racers) {
                results.add(threads.submit(racer));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> result : results) {
                outcomes.add(result.get());
            }
            assertThat(outcomes).containsOnlyOnce("accepted");
            assertThat(outcomes).filteredOn(o -> !o.equals("accepted")).containsOnly("CONFLICT Version conflict");
            assertThat(shadows.get(key).get("version").asLong()).isEqualTo(2);
        }
    }

    @Test
    void concurrentFirstUpdatesWithoutVersionAreAllAppliedInSomeOrder() throws Exception {
        String thing = newThing();
        ShadowKey key = new ShadowKey(thing, "fresh");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String field = "f" + i;
            results.add(threads.submit(() -> {
                start.await();
                return shadows.update(key, bytes("{'state':{'reported':{'" + field + "':1}}}")).get("version").asLong();
            }));
        }
        start.countDown();
        List<Long> versions = new ArrayList<>();
        for (Future<Long> result : results) {
            versions.add(result.get());
        }
        assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(shadows.get(key).get("state").get("reported")).isEqualTo(tree("{'f0':1,'f1':1,'f2':1,'f3':1}"));
    }

    // ---- MQTT requests through the reserved-topic handler ----------------------------------------------

    private void device(String topic, String payload) {
        ClientConnection connection = new ClientConnection("dev", "cert-id", "127.0.0.1", "session", null);
        bus.deviceRequest(new Delivery(Message.of(new Topic(topic), bytes(payload), QoS.AT_LEAST_ONCE, false),
                new Origin.Client(connection)));
    }

    @Test
    void mqttRequestsAreAnsweredOnAcceptedAndRejectedTopics() throws Exception {
        String thing = newThing();
        String prefix = "$aws/things/" + thing + "/shadow/name/lamp/";
        try (Registration served = shadows.serveMqtt()) {
            device(prefix + "get", "{'clientToken':'g1'}");
            List<Message> replies = bus.drain();
            assertThat(replies).extracting(m -> m.topic().value()).containsExactly(prefix + "get/rejected");
            JsonNode rejected = payload(replies.get(0));
            assertThat(rejected.get("code").asInt()).isEqualTo(404);
            assertThat(rejected.get("message").asText()).isEqualTo("No shadow exists with name: 'lamp'");
            assertThat(rejected.get("clientToken").asText()).isEqualTo("g1");
            assertThat(rejected.get("timestamp").isIntegralNumber()).isTrue();

            device(prefix + "update", "{'state':{'desired':{'on':true}},'clientToken':'u1'}");
            assertThat(bus.drain()).extracting(m -> m.topic().value())
                    .containsExactly(prefix + "update/accepted", prefix + "update/documents", prefix + "update/delta");

            device(prefix + "update", "{'state':{'reported':{'on':true}},'version':9,'clientToken':'u2'}");
            replies = bus.drain();
            assertThat(replies).extracting(m -> m.topic().value()).containsExactly(prefix + "update/rejected");
            assertThat(payload(replies.get(0)).get("code").asInt()).isEqualTo(409);
            assertThat(payload(replies.get(0)).get("clientToken").asText()).isEqualTo("u2");

            device(prefix + "update", "not json");
            replies = bus.drain();
            assertThat(payload(replies.get(0)).get("message").asText()).isEqualTo("Invalid JSON");

            device(prefix + "get", "");
            replies = bus.drain();
            assertThat(replies).extracting(m -> m.topic().value()).containsExactly(prefix + "get/accepted");
            assertThat(payload(replies.get(0)).get("state")).isEqualTo(tree("{'desired':{'on':true},'delta':{'on':true}}"));

            device(prefix + "delete", "");
            assertThat(bus.drain()).extracting(m -> m.topic().value()).containsExactly(prefix + "delete/accepted");

            device("$aws/things/" + thing + "/shadow/update", "{'state':{'reported':{'x':1}}}");
            assertThat(bus.drain()).extracting(m -> m.topic().value())
                    .containsExactly("$aws/things/" + thing + "/shadow/update/accepted", "$aws/things/" + thing + "/shadow/update/documents");
        }
        assertThat(bus.handlerCount()).isZero();
    }

    @Test
    void aStoreFailureIsRejectedWith500WithoutItsDetails() throws Exception {
        String thing = newThing();
        io.rampart.store.Database broken = testDb.openAnother();
        RecordingBus otherBus = new RecordingBus();
        ShadowService failing = ShadowService.open(broken, registry.things(), otherBus, clock);
        broken.close();
        try (Registration served = failing.serveMqtt()) {
            ClientConnection connection = new ClientConnection("dev", "cert-id", "127.0.0.1", "session", null);
            otherBus.deviceRequest(new Delivery(Message.of(new Topic("$aws/things/" + thing + "/shadow/get"),
                    bytes("{'clientToken':'x'}"), QoS.AT_LEAST_ONCE, false), new Origin.Client(connection)));
        }
        List<Message> replies = otherBus.drain();
        assertThat(replies).extracting(m -> m.topic().value()).containsExactly("$aws/things/" + thing + "/shadow/get/rejected");
        assertThat(payload(replies.get(0))).isEqualTo(tree("{'code':500,'message':'Internal service failure','timestamp':"
                + clock.instant().getEpochSecond() + ",'clientToken':'x'}"));
    }

    @Test
    void replyTopicsAndUnknownOperationsAreNotRequests() {
        String thing = newThing();
        try (Registration served = shadows.serveMqtt()) {
            device("$aws/things/" + thing + "/shadow/update/accepted", "{'state':{}}");
            device("$aws/things/" + thing + "/shadow/update/delta", "{}");
            device("$aws/things/" + thing + "/shadow/name/x/list", "{}");
            device("$aws/things/" + thing + "/shadow/other/x/get", "{}");
            assertThat(bus.drain()).isEmpty();
        }
    }

    @Test
    void mqttRequestsForUnknownThingsOrBadNamesAreRejected() throws Exception {
        try (Registration served = shadows.serveMqtt()) {
            device("$aws/things/ghost-thing/shadow/update", "{'state':{'reported':{'a':1}}}");
            List<Message> replies = bus.drain();
            assertThat(replies).extracting(m -> m.topic().value()).containsExactly("$aws/things/ghost-thing/shadow/update/rejected");
            assertThat(payload(replies.get(0)).get("code").asInt()).isEqualTo(404);
            assertThat(payload(replies.get(0)).get("message").asText()).isEqualTo("Thing not found");

            String thing = newThing();
            device("$aws/things/" + thing + "/shadow/name/bad.name/get", "");
            replies = bus.drain();
            assertThat(replies).extracting(m -> m.topic().value()).containsExactly("$aws/things/" + thing + "/shadow/name/bad.name/get/rejected");
            assertThat(payload(replies.get(0)).get("code").asInt()).isEqualTo(400);
        }
    }
}
