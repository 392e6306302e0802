package io.rampart.shadow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.messaging.Delivery;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageBus;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Registration;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.registry.Thing;
import io.rampart.registry.Things;
import io.rampart.shadow.ShadowKey;
import io.rampart.shadow.ShadowLimits;
import io.rampart.shadow.ShadowStatistics;
import io.rampart.shadow.ShadowStatistics.Operation;
import io.rampart.shadow.ShadowStatistics.Outcome;
import io.rampart.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shadow operations behind both transports: thing lookup, store, engine and the notifications on the bus. */
public final class ShadowOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowOperations.class);
    static final Origin.Service ORIGIN = new Origin.Service("shadow");
    static final TopicFilter SHADOW_TOPICS = new TopicFilter("$aws/things/+/shadow/#");
    static final String THING_NOT_FOUND = "Thing not found";
    static final String INTERNAL_FAILURE = "Internal service failure";

    private final Things things;
    private final MessageBus bus;
    private final Clock clock;
    private final ShadowEngine engine;
    private final SqlShadowStore store;
    private final ObjectMapper json = Json.newMapper();
    private final ShadowStatistics statistics;

    public ShadowOperations(Database db, Things things, MessageBus bus, Clock clock, ShadowLimits limits,
                            ShadowStatistics statistics) {
        this.statistics = statistics;
        this.things = things;
        this.bus = bus;
        this.clock = clock;
        this.engine = new ShadowEngine(limits);
        this.store = new SqlShadowStore(db, engine);
    }

    public Registration serveMqtt() {
        return bus.handleReserved(SHADOW_TOPICS, this::handle);
    }

    public ObjectNode get(ShadowKey key) {
        return counted(Operation.GET, () -> get(key, RequestToken.NONE));
    }

    private ObjectNode get(ShadowKey key, RequestToken token) {
        StoredShadow shadow = store.find(key, thingId(key));
        if (!shadow.exists()) {
            throw noShadow(key);
        }
        return engine.document(shadow.state(), shadow.version(), clock.instant(), token.clientToken());
    }

    public ObjectNode update(ShadowKey key, byte[] payload) {
        return counted(Operation.UPDATE, () -> applyUpdate(key, payload));
    }

    private ObjectNode applyUpdate(ShadowKey key, byte[] payload) {
        UpdateRequest request = engine.parseUpdate(payload);
        String thingId = thingId(key);
        Instant now = clock.instant();
        UpdateOutcome[] outcome = new UpdateOutcome[1];
        store.change(key, thingId, now, current -> {
            outcome[0] = engine.update(current.state(), current.version(), request, now);
            return new StoredShadow(outcome[0].state(), outcome[0].version());
        });
        String prefix = key.topicPrefix();
        publish(prefix + "update/accepted", outcome[0].accepted());
        publish(prefix + "update/documents", outcome[0].documents());
        if (outcome[0].delta() != null) {
            publish(prefix + "update/delta", outcome[0].delta());
        }
        return outcome[0].accepted();
    }

    public ObjectNode delete(ShadowKey key, byte[] payload) {
        return counted(Operation.DELETE, () -> applyDelete(key, payload));
    }

    private ObjectNode applyDelete(ShadowKey key, byte[] payload) {
        RequestToken token = engine.parseToken(payload);
        String thingId = thingId(key);
        Instant now = clock.instant();
        StoredShadow deleted = store.change(key, thingId, now, current -> {
            if (!current.exists()) {
                throw noShadow(key);
            }
            if (token.version() != null && token.version() != current.version()) {
                throw new RampartException(ErrorType.CONFLICT, ShadowEngine.VERSION_CONFLICT);
            }
            return new StoredShadow(null, current.version());
        });
        ObjectNode accepted = engine.deleted(deleted.version(), now, token.clientToken());
        publish(key.topicPrefix() + "delete/accepted", accepted);
        return accepted;
    }

    public Page<String> listNamedShadows(String thingName, Page.Request page) {
        ShadowKey key = ShadowKey.classic(thingName);
        return counted(Operation.LIST_NAMED, () -> store.listNamed(thingName, thingId(key), page));
    }

    public int deleteThingShadows(String thingName) {
        return store.deleteAll(thingName);
    }

    // ---- MQTT ----------------------------------------------------------------------------------------------

    /** Serves one request published by a device on a shadow topic; replies (and errors) go to its reply topics. */
    void handle(Delivery delivery) {
        List<String> levels = delivery.message().topic().levels();
        // $aws/things/<thing>/shadow/<op> or $aws/things/<thing>/shadow/name/<shadow>/<op>; other topics under
        // shadow/# (accepted, rejected, delta, documents) are replies, not requests.
        boolean classic = levels.size() == 5;
        boolean named = levels.size() == 7 && levels.get(4).equals("name");
        if (!classic && !named) {
            return;
        }
        String operation = levels.getLast();
        if (!operation.equals("get") && !operation.equals("update") && !operation.equals("delete")) {
            return;
        }
        String replyPrefix = delivery.message().topic().value() + "/";
        byte[] payload = delivery.message().payload();
        try {
            ShadowKey key = new ShadowKey(levels.get(2), named ? levels.get(5) : null);
            switch (operation) {
                // Update and delete publish their own accepted replies (HTTP callers trigger them too).
                case "update" -> update(key, payload);
                case "delete" -> delete(key, payload);
                default -> publish(replyPrefix + "accepted", counted(Operation.GET, () -> get(key, engine.parseToken(payload))));
            }
        } catch (RampartException e) {
            if (e.type().httpStatus() >= 500) {
                // A store failure names hosts and files: log it, tell the device only what AWS would.
                LOG.error("shadow request on {} failed", delivery.message().topic(), e);
                publish(replyPrefix + "rejected", engine.error(500, INTERNAL_FAILURE, clock.instant(),
                        engine.clientTokenOf(payload)));
            } else {
                publish(replyPrefix + "rejected", engine.error(e.type().httpStatus(), e.getMessage(), clock.instant(),
                        engine.clientTokenOf(payload)));
            }
        } catch (RuntimeException e) {
            LOG.error("shadow request on {} failed", delivery.message().topic(), e);
            publish(replyPrefix + "rejected", engine.error(500, INTERNAL_FAILURE, clock.instant(),
                    engine.clientTokenOf(payload)));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Runs one operation and counts how it ended: a 4xx-kind RampartException is the caller's, anything else ours. */
    private <T> T counted(Operation operation, Supplier<T> work) {
        try {
            T result = work.get();
            statistics.record(operation, Outcome.ACCEPTED);
            return result;
        } catch (RampartException e) {
            statistics.record(operation, e.type().httpStatus() >= 500 ? Outcome.FAILED : Outcome.REJECTED);
            throw e;
        } catch (RuntimeException e) {
            statistics.record(operation, Outcome.FAILED);
            throw e;
        }
    }

    private String thingId(ShadowKey key) {
        try {
            Thing thing = things.describe(key.thingName());
            return thing.id();
        } catch (RampartException e) {
            if (e.type() == ErrorType.RESOURCE_NOT_FOUND) {
                throw new RampartException(ErrorType.RESOURCE_NOT_FOUND, THING_NOT_FOUND, e);
            }
            throw e;
        }
    }

    private static RampartException noShadow(ShadowKey key) {
        return new RampartException(ErrorType.RESOURCE_NOT_FOUND, "No shadow exists with name: '" + key.displayName() + "'");
    }

    private void publish(String topic, ObjectNode body) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree must serialize", e);
        }
        bus.publish(ORIGIN, Message.of(new Topic(topic), payload, QoS.AT_LEAST_ONCE, false))
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        // The change is committed; a device that missed this notification catches up with get.
                        LOG.warn("shadow notification on {} was not published: {}", topic, failure.toString());
                    }
                });
    }
}
