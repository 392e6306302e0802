package io.rampart.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.messaging.MessageBus;
import io.rampart.messaging.Registration;
import io.rampart.registry.Things;
import io.rampart.shadow.internal.ShadowOperations;
import io.rampart.store.Database;
import java.time.Clock;

/**
 * The node's Device Shadow service: {@link Shadows} for the data-plane API, and the MQTT service on
 * {@code $aws/things/+/shadow/#} once {@link #serveMqtt()} is called. Shadows exist only for things in the
 * registry, and a shadow outlives no thing: a deleted thing's shadows are never seen by a new thing of the
 * same name.
 */
public final class ShadowService implements Shadows {
    private final ShadowOperations operations;
    private final ShadowStatistics statistics;

    private ShadowService(ShadowOperations operations, ShadowStatistics statistics) {
        this.operations = operations;
        this.statistics = statistics;
    }

    /** The service on {@code db} (its tables are migrated first) with AWS's limits. */
    public static ShadowService open(Database db, Things things, MessageBus bus, Clock clock) {
        return open(db, things, bus, clock, ShadowLimits.defaults());
    }

    /** As {@link #open(Database, Things, MessageBus, Clock)} with the given limits. */
    public static ShadowService open(Database db, Things things, MessageBus bus, Clock clock, ShadowLimits limits) {
        db.migrate("shadow");
        ShadowStatistics statistics = new ShadowStatistics();
        return new ShadowService(new ShadowOperations(db, things, bus, clock, limits, statistics), statistics);
    }

    /**
     * Starts answering devices on the shadow topics (get, update, delete, classic and named); close the
     * registration to stop. The broker has already checked the device's {@code iot:Publish} right on the
     * request topic, and checks {@code iot:Receive} on every reply it delivers.
     */
    public Registration serveMqtt() {
        return operations.serveMqtt();
    }

    /** Operations served so far, by operation and outcome, over MQTT and HTTP. */
    public ShadowStatistics statistics() {
        return statistics;
    }

    @Override
    public ObjectNode get(ShadowKey key) {
        return operations.get(key);
    }

    @Override
    public ObjectNode update(ShadowKey key, byte[] payload) {
        return operations.update(key, payload);
    }

    @Override
    public ObjectNode delete(ShadowKey key, byte[] payload) {
        return operations.delete(key, payload);
    }

    @Override
    public Page<String> listNamedShadows(String thingName, Page.Request page) {
        return operations.listNamedShadows(thingName, page);
    }

    @Override
    public int deleteThingShadows(String thingName) {
        return operations.deleteThingShadows(thingName);
    }
}
