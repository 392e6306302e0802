package io.rampart.shadow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.shadow.ShadowLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ShadowEnginePropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ShadowEngine engine = new ShadowEngine(new ShadowLimits(1 << 20, 6, 64));

    /** Small documents over few keys and values, so desired and reported often overlap. */
    @Provide
    Arbitrary<ObjectNode> documents() {
        return document(3);
    }

    private Arbitrary<ObjectNode> document(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 2).map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.of("x", "y").map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.integers().between(0, 1).list().ofMaxSize(2).map(list -> {
                    var array = NODES.arrayNode();
                    list.forEach(array::add);
                    return (JsonNode) array;
                }));
        Arbitrary<JsonNode> value = depth <= 1 ? scalar
                : Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, scalar),
                        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> document(depth - 1)).map(o -> (JsonNode) o)));
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), value).ofMaxSize(4).map(map -> {
            ObjectNode node = NODES.objectNode();
            map.forEach(node::set);
            return node;
        });
    }

    private UpdateOutcome update(ShadowState state, long version, String section, ObjectNode patch) {
        ObjectNode request = NODES.objectNode();
        request.putObject("state").set(section, patch);
        return engine.update(state, version, engine.parseUpdate(request.toString().getBytes(StandardCharsets.UTF_8)),
                Instant.ofEpochSecond(version));
    }

    @Property
    boolean deltaIsEmptyIffDesiredIsContainedInReported(@ForAll("documents") ObjectNode desired,
                                                        @ForAll("documents") ObjectNode reported) {
        UpdateOutcome first = update(null, 0, "desired", desired);
        UpdateOutcome second = update(first.state(), first.version(), "reported", reported);
        ObjectNode delta = ShadowEngine.delta(second.state().desired(), second.state().reported());
        return delta.isEmpty() == contained(second.state().desired(), second.state().reported());
    }

    @Property
    boolean reportingTheDesiredStateClearsTheDelta(@ForAll("documents") ObjectNode desired,
                                                   @ForAll("documents") ObjectNode reported) {
        UpdateOutcome first = update(null, 0, "reported", reported);
        UpdateOutcome second = update(first.state(), first.version(), "desired", desired);
        UpdateOutcome third = update(second.state(), second.version(), "reported", second.state().desired());
        return ShadowEngine.delta(third.state().desired(), third.state().reported()).isEmpty();
    }

    @Property
    void versionsStrictlyIncreaseAndMetadataMirrorsState(@ForAll("updates") List<Map.Entry<String, ObjectNode>> updates) {
        ShadowState state = null;
        long version = 0;
        for (Map.Entry<String, ObjectNode> step : updates) {
            UpdateOutcome out = update(state, version, step.getKey(), step.getValue());
            assertThat(out.version()).isGreaterThan(version);
            state = out.state();
            version = out.version();
            assertThat(sameShape(state.desired(), state.desiredMetadata())).isTrue();
            assertThat(sameShape(state.reported(), state.reportedMetadata())).isTrue();
            String stored = engine.storedForm(state);
            assertThat(engine.storedForm(engine.fromStoredForm(stored))).isEqualTo(stored);
        }
    }

    @Provide
    Arbitrary<List<Map.Entry<String, ObjectNode>>> updates() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of("desired", "reported"), documents())
                .as(Map::entry).list().ofMinSize(1).ofMaxSize(6);
    }

    /** True when every desired leaf is present and equal in reported (objects compared key by key). */
    private static boolean contained(ObjectNode desired, ObjectNode reported) {
        if (desired == null) {
            return true;
        }
        for (Map.Entry<String, JsonNode> field : desired.properties()) {
            JsonNode actual = reported == null ? null : reported.get(field.getKey());
            if (actual == null) {
                return false;
            }
            if (field.getValue().isObject() && actual.isObject()) {
                if (!contained((ObjectNode) field.getValue(), (ObjectNode) actual)) {
                    return false;
                }
            } else if (!field.getValue().equals(actual)) {
                return false;
            }
        }
        return true;
    }

    /** Metadata has exactly the state's keys, objects nested alike, arrays element by element. */
    private static boolean sameShape(JsonNode state, JsonNode metadata) {
        if (state == null || metadata == null) {
            return state == metadata;
        }
        if (state.isObject()) {
            if (!metadata.isObject() || state.size() != metadata.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : state.properties()) {
                if (!sameShape(field.getValue(), metadata.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (state.isArray()) {
            if (!metadata.isArray() || state.size() != metadata.size()) {
                return false;
            }
            for (int i = 0; i < state.size(); i++) {
                if (!sameShape(state.get(i), metadata.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return metadata.isObject() && metadata.has("timestamp");
    }
}
