package io.rampart.shadow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.RampartException;
import io.rampart.shadow.ShadowLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShadowEngineTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Instant T1 = Instant.ofEpochSecond(1_700_000_000);
    private static final Instant T2 = Instant.ofEpochSecond(1_700_000_100);
    private final ShadowEngine engine = new ShadowEngine(ShadowLimits.defaults());

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(bytes(json));
    }

    /** The node as a parser would produce it (timestamps written as longs compare equal to parsed ints). */
    private static JsonNode norm(JsonNode node) throws Exception {
        return JSON.readTree(node.toString());
    }

    private UpdateOutcome apply(UpdateOutcome previous, String request, Instant at) {
        ShadowState state = previous == null ? null : previous.state();
        long version = previous == null ? 0 : previous.version();
        return engine.update(state, version, engine.parseUpdate(bytes(request)), at);
    }

    @Test
    void firstUpdateCreatesVersionOneWithMetadataPerLeaf() throws Exception {
        UpdateOutcome out = apply(null, "{'state':{'desired':{'color':'red','light':{'on':true}}},'clientToken':'c1'}", T1);

        assertThat(out.version()).isEqualTo(1);
        assertThat(norm(out.accepted())).isEqualTo(tree("{'state':{'desired':{'color':'red','light':{'on':true}}},"
                + "'metadata':{'desired':{'color':{'timestamp':1700000000},'light':{'on':{'timestamp':1700000000}}}},"
                + "'version':1,'timestamp':1700000000,'clientToken':'c1'}"));
        assertThat(out.documents().has("previous")).isFalse();
        assertThat(norm(out.documents().get("current"))).isEqualTo(tree("{'state':{'desired':{'color':'red','light':{'on':true}}},"
                + "'metadata':{'desired':{'color':{'timestamp':1700000000},'light':{'on':{'timestamp':1700000000}}}},'version':1}"));
        assertThat(norm(out.delta())).isEqualTo(tree("{'version':1,'timestamp':1700000000,'state':{'color':'red','light':{'on':true}},"
                + "'metadata':{'color':{'timestamp':1700000000},'light':{'on':{'timestamp':1700000000}}},'clientToken':'c1'}"));
    }

    @Test
    void reportedMatchingDesiredLeavesAnEmptyDeltaAndPublishesNoDelta() throws Exception {
        UpdateOutcome first = apply(null, "{'state':{'desired':{'color':'red','size':2}}}", T1);
        UpdateOutcome second = apply(first, "{'state':{'reported':{'color':'red'}}}", T2);

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.delta()).as("a reported-only update never publishes on update/delta").isNull();
        ObjectNode doc = engine.document(second.state(), second.version(), T2, null);
        assertThat(norm(doc.get("state").get("delta"))).isEqualTo(tree("{'size':2}"));
        assertThat(doc.get("metadata").get("desired").get("color").get("timestamp").asLong()).isEqualTo(T1.getEpochSecond());
        assertThat(doc.get("metadata").get("reported").get("color").get("timestamp").asLong()).isEqualTo(T2.getEpochSecond());
        assertThat(second.documents().get("previous").get("version").asLong()).isEqualTo(1);
        assertThat(norm(second.documents().get("current").get("state").get("reported"))).isEqualTo(tree("{'color':'red'}"));
    }

    @Test
    void nestedObjectsMergeAndNullDeletesALeaf() throws Exception {
        UpdateOutcome first = apply(null, "{'state':{'reported':{'a':{'b':1,'c':2},'d':3}}}", T1);
        UpdateOutcome second = apply(first, "{'state':{'reported':{'a':{'b':null,'e':5},'d':null}}}", T2);

        assertThat(norm(second.state().reported())).isEqualTo(tree("{'a':{'c':2,'e':5}}"));
        assertThat(norm(second.state().reportedMetadata())).isEqualTo(tree("{'a':{'c':{'timestamp':1700000000},'e':{'timestamp':1700000100}}}"));
        assertThat(norm(second.accepted().get("metadata"))).isEqualTo(tree("{'reported':{'a':{'b':{'timestamp':1700000100},"
                + "'e':{'timestamp':1700000100}},'d':{'timestamp':1700000100}}}"));
    }

    @Test
    void nullSectionRemovesTheWholeSection() throws Exception {
        UpdateOutcome first = apply(null, "{'state':{'desired':{'a':1},'reported':{'a':2}}}", T1);
        UpdateOutcome second = apply(first, "{'state':{'desired':null}}", T2);

        assertThat(second.state().desired()).isNull();
        assertThat(second.state().desiredMetadata()).isNull();
        assertThat(engine.document(second.state(), 2, T2, null).get("state")).isEqualTo(tree("{'reported':{'a':2}}"));
    }

    @Test
    void arraysAreReplacedWholeAndComparedWhole() throws Exception {
        UpdateOutcome first = apply(null, "{'state':{'desired':{'list':[1,2,3]},'reported':{'list':[1,2]}}}", T1);
        assertThat(engine.document(first.state(), 1, T1, null).get("state").get("delta")).isEqualTo(tree("{'list':[1,2,3]}"));
        assertThat(norm(first.state().desiredMetadata().get("list"))).isEqualTo(tree("[{'timestamp':1700000000},"
                + "{'timestamp':1700000000},{'timestamp':1700000000}]"));

        UpdateOutcome second = apply(first, "{'state':{'reported':{'list':[1,2,3]}}}", T2);
        assertThat(engine.document(second.state(), 2, T2, null).get("state").has("delta")).isFalse();
    }

    @Test
    void objectReplacingAScalarStartsFreshMetadata() throws Exception {
        UpdateOutcome first = apply(null, "{'state':{'reported':{'a':1}}}", T1);
        UpdateOutcome second = apply(first, "{'state':{'reported':{'a':{'b':2}}}}", T2);
        assertThat(norm(second.state().reported())).isEqualTo(tree("{'a':{'b':2}}"));
        assertThat(norm(second.state().reportedMetadata())).isEqualTo(tree("{'a':{'b':{'timestamp':1700000100}}}"));
    }

    @Test
    void matchingExpectedVersionIsAcceptedAndAnyOtherIsAConflict() {
        UpdateOutcome first = apply(null, "{'state':{'reported':{'a':1}}}", T1);
        assertThat(apply(first, "{'state':{'reported':{'a':2}},'version':1}", T2).version()).isEqualTo(2);

        assertThatThrownBy(() -> apply(first, "{'state':{'reported':{'a':2}},'version':7}", T2))
                .isInstanceOfSatisfying(RampartException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("Version conflict");
                });
    }

    @Test
    void versionContinuesAfterADeletedShadow() {
        UpdateOutcome recreated = engine.update(null, 5, engine.parseUpdate(bytes("{'state':{'reported':{'a':1}}}")), T1);
        assertThat(recreated.version()).isEqualTo(6);
        assertThat(recreated.documents().has("previous")).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "not json                                             | INVALID_REQUEST | Invalid JSON",
            "[1,2]                                                | INVALID_REQUEST | Invalid JSON",
            "''                                                   | INVALID_REQUEST | Invalid JSON",
            "{'clientToken':'x'}                                  | INVALID_REQUEST | Missing required node: state",
            "{'state':null}                                       | INVALID_REQUEST | State node must be an object",
            "{'state':[1]}                                        | INVALID_REQUEST | State node must be an object",
            "{'state':{'desired':1}}                              | INVALID_REQUEST | Desired node must be an object",
            "{'state':{'reported':'x'}}                           | INVALID_REQUEST | Reported node must be an object",
            "{'state':{'delta':{'a':1}}}                          | INVALID_REQUEST | State contains an invalid node",
            "{'state':{},'version':'1'}                           | INVALID_REQUEST | Invalid version",
            "{'state':{},'version':1.5}                           | INVALID_REQUEST | Invalid version",
            "{'state':{},'version':-1}                            | INVALID_REQUEST | Invalid version",
            "{'state':{},'clientToken':7}                         | INVALID_REQUEST | Invalid clientToken",
            "{'state':{'desired':{'a':1,'a':2}}}                  | INVALID_REQUEST | Invalid JSON",
            "{'state':{'desired':{'1':{'2':{'3':{'4':{'5':{'6':{'7':1}}}}}}}}} | INVALID_REQUEST | JSON contains too many levels of nesting; maximum is 6",
            "{'state':{'reported':{'1':{'2':{'3':{'4':{'5':[[1]]}}}}}}}       | INVALID_REQUEST | JSON contains too many levels of nesting; maximum is 6",
    })
    void invalidUpdatesAreRejectedWithAwsMessages(String payload, ErrorType type, String message) {
        String body = payload.equals("''") ? "" : payload;
        assertThatThrownBy(() -> engine.parseUpdate(bytes(body)))
                .isInstanceOfSatisfying(RampartException.class, e -> {
                    assertThat(e.type()).isEqualTo(type);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void sixLevelsOfNestingAreAllowed() {
        UpdateRequest request = engine.parseUpdate(bytes("{'state':{'desired':{'1':{'2':{'3':{'4':{'5':{'6':1}}}}}}}}"));
        assertThat(ShadowEngine.depth(request.desired())).isEqualTo(6);
    }

    @Test
    void clientTokenOfSixtyFourBytesIsAcceptedAndSixtyFiveIsNot() {
        String ok = "k".repeat(64);
        assertThat(engine.parseUpdate(bytes("{'state':{},'clientToken':'" + ok + "'}")).clientToken()).isEqualTo(ok);
        assertThatThrownBy(() -> engine.parseUpdate(bytes("{'state':{},'clientToken':'" + ok + "k'}")))
                .hasMessage("Invalid clientToken");
        // Multi-byte characters count in bytes: 22 three-byte characters are 66 bytes.
        assertThatThrownBy(() -> engine.parseUpdate(bytes("{'state':{},'clientToken':'" + "€".repeat(22) + "'}")))
                .hasMessage("Invalid clientToken");
    }

    @Test
    void invalidUtf8IsUnsupportedEncoding() {
        byte[] payload = {'{', '"', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> engine.parseUpdate(payload))
                .isInstanceOfSatisfying(RampartException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.UNSUPPORTED_DOCUMENT_ENCODING);
                    assertThat(e.type().httpStatus()).isEqualTo(415);
                });
    }

    @Test
    void stateOverEightKilobytesAfterMergeIsTooLarge() {
        // Each update alone is small; together they pass 8,192 bytes of desired + reported.
        String half = "x".repeat(4_100);
        UpdateOutcome first = apply(null, "{'state':{'desired':{'a':'" + half + "'}}}", T1);
        assertThatThrownBy(() -> apply(first, "{'state':{'reported':{'b':'" + half + "'}}}", T2))
                .isInstanceOfSatisfying(RampartException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.REQUEST_ENTITY_TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("The payload exceeds the maximum size allowed");
                });
    }

    @Test
    void metadataDoesNotCountTowardTheLimit() {
        // 8,180 bytes of state with many leaves: metadata would more than double it, yet it is accepted.
        StringBuilder fields = new StringBuilder();
        int i = 0;
        while (fields.length() < 8_000) {
            fields.append(fields.isEmpty() ? "" : ",").append("'k").append(i++).append("':1");
        }
        UpdateOutcome out = apply(null, "{'state':{'reported':{" + fields + "}}}", T1);
        assertThat(engine.stateBytes(out.state())).isLessThanOrEqualTo(8_192);
        assertThat(out.state().reportedMetadata().toString().length()).isGreaterThan(8_192);
    }

    @Test
    void getAndDeletePayloadsMayBeEmptyOrCarryTokenAndVersion() {
        assertThat(engine.parseToken(new byte[0])).isEqualTo(RequestToken.NONE);
        assertThat(engine.parseToken(bytes("{'clientToken':'t','version':3}"))).isEqualTo(new RequestToken("t", 3L));
        assertThatThrownBy(() -> engine.parseToken(bytes("{"))).hasMessage("Invalid JSON");
    }

    @Test
    void clientTokenIsEchoedOnRejectionsWhenReadable() {
        assertThat(engine.clientTokenOf(bytes("{'state':1,'clientToken':'abc'}"))).isEqualTo("abc");
        assertThat(engine.clientTokenOf(bytes("{nope"))).isNull();
        assertThat(engine.error(409, "Version conflict", T1, "abc").toString())
                .isEqualTo("{\"code\":409,\"message\":\"Version conflict\",\"timestamp\":1700000000,\"clientToken\":\"abc\"}");
    }

    @Test
    void storedFormRoundTrips() {
        UpdateOutcome out = apply(null, "{'state':{'desired':{'a':[1,{'b':2}]},'reported':{'c':'d'}}}", T1);
        String stored = engine.storedForm(out.state());
        assertThat(engine.storedForm(engine.fromStoredForm(stored))).isEqualTo(stored);
        assertThat(engine.fromStoredForm(engine.storedForm(ShadowState.EMPTY))).isEqualTo(ShadowState.EMPTY);
    }
}
