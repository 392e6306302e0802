package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.Json;
import io.rampart.messaging.Message;
import io.rampart.messaging.QoS;
import java.lang.reflect.Field;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.protocols.core.OperationInfo;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;
import software.amazon.awssdk.services.iotdataplane.model.ConflictException;
import software.amazon.awssdk.services.iotdataplane.model.InvalidRequestException;
import software.amazon.awssdk.services.iotdataplane.model.IotDataPlaneException;
import software.amazon.awssdk.services.iotdataplane.model.ListNamedShadowsForThingResponse;
import software.amazon.awssdk.services.iotdataplane.model.RequestEntityTooLargeException;
import software.amazon.awssdk.services.iotdataplane.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iotdataplane.model.UnsupportedDocumentEncodingException;

/** The iot-data operations driven through the AWS SDK for Java v2 IotDataPlaneClient, as an operator would. */
class ShadowRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static final ObjectMapper JSON = Json.newMapper();
    private static final AtomicInteger THINGS = new AtomicInteger();

    private IotDataPlaneClient data;

    @BeforeEach
    void setUp() {
        data = node.dataPlane();
        node.bus().drain();
    }

    private static String newThing() {
        String name = "shadow-thing-" + THINGS.incrementAndGet();
        node.registry().things().create(name, null, Map.of());
        return name;
    }

    private static SdkBytes doc(String json) {
        return SdkBytes.fromUtf8String(json.replace('\'', '"'));
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    private static JsonNode tree(SdkBytes bytes) throws Exception {
        return JSON.readTree(bytes.asByteArray());
    }

    private static <E extends IotDataPlaneException> E fails(Class<E> type, int status, String message, ThrowingCallable call) {
        E e = catchThrowableOfType(type, call);
        assertThat(e).as("expected " + type.getSimpleName()).isNotNull();
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        return e;
    }

    @Test
    void updateGetAndDeleteTheClassicShadow() throws Exception {
        String thing = newThing();
        JsonNode accepted = tree(data.updateThingShadow(r -> r.thingName(thing)
                .payload(doc("{'state':{'desired':{'temp':21}},'clientToken':'op-1'}"))).payload());
        assertThat(accepted.get("version").asLong()).isEqualTo(1);
        assertThat(accepted.get("clientToken").asText()).isEqualTo("op-1");
        assertThat(accepted.get("metadata").get("desired").get("temp").has("timestamp")).isTrue();

        JsonNode got = tree(data.getThingShadow(r -> r.thingName(thing)).payload());
        assertThat(got.get("state")).isEqualTo(tree("{'desired':{'temp':21},'delta':{'temp':21}}"));

        JsonNode deleted = tree(data.deleteThingShadow(r -> r.thingName(thing)).payload());
        assertThat(deleted.get("version").asLong()).isEqualTo(1);
        fails(ResourceNotFoundException.class, 404, "No shadow exists with name: '" + thing + "'",
                () -> data.getThingShadow(r -> r.thingName(thing)));
    }

    @Test
    void anUpdateOverHttpIsAnnouncedToDevicesOnTheShadowTopics() throws Exception {
        String thing = newThing();
        data.updateThingShadow(r -> r.thingName(thing).shadowName("cfg").payload(doc("{'state':{'desired':{'mode':'eco'}}}")));

        List<Message> published = node.bus().drain();
        String prefix = "$aws/things/" + thing + "/shadow/name/cfg/";
        assertThat(published).extracting(m -> m.topic().value())
                .containsExactly(prefix + "update/accepted", prefix + "update/documents", prefix + "update/delta");
        assertThat(JSON.readTree(published.get(2).payload()).get("state")).isEqualTo(tree("{'mode':'eco'}"));
    }

    @Test
    void namedShadowsAreSeparateAndListedInPages() throws Exception {
        String thing = newThing();
        for (String name : List.of("c", "a", "b")) {
            data.updateThingShadow(r -> r.thingName(thing).shadowName(name).payload(doc("{'state':{'reported':{'n':'" + name + "'}}}")));
        }
        data.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':{'reported':{'classic':true}}}")));
        assertThat(tree(data.getThingShadow(r -> r.thingName(thing).shadowName("b")).payload()).get("state"))
                .isEqualTo(tree("{'reported':{'n':'b'}}"));

        ListNamedShadowsForThingResponse first = data.listNamedShadowsForThing(r -> r.thingName(thing).pageSize(2));
        assertThat(first.results()).containsExactly("a", "b");
        assertThat(first.timestamp()).isPositive();
        ListNamedShadowsForThingResponse second = data.listNamedShadowsForThing(r -> r.thingName(thing).pageSize(2)
                .nextToken(first.nextToken()));
        assertThat(second.results()).containsExactly("c");
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void versionConflictIsAConflictException() {
        String thing = newThing();
        data.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':{'reported':{'a':1}}}")));
        fails(ConflictException.class, 409, "Version conflict",
                () -> data.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':{'reported':{'a':2}},'version':3}"))));
    }

    @Test
    void badDocumentsAreRejectedAndChangeNothing() throws Exception {
        String thing = newThing();
        data.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':{'reported':{'a':1}}}")));
        node.bus().drain();

        fails(InvalidRequestException.class, 400, "Invalid JSON",
                () -> data.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':"))));
        fails(InvalidRequestException.class, 400, "Missing required node: state",
                () -> data.updateThingShadow(r -> r.thingName(thing).payload(doc("{'desired':{}}"))));
        fails(InvalidRequestException.class, 400, "JSON contains too many levels of nesting; maximum is 6",
                () -> data.updateThingShadow(r -> r.thingName(thing)
                        .payload(doc("{'state':{'reported':{'1':{'2':{'3':{'4':{'5':{'6':{'7':0}}}}}}}}}"))));
        fails(RequestEntityTooLargeException.class, 413, "The payload exceeds the maximum size allowed",
                () -> data.updateThingShadow(r -> r.thingName(thing)
                        .payload(doc("{'state':{'reported':{'big':'" + "x".repeat(9_000) + "'}}}"))));
        fails(UnsupportedDocumentEncodingException.class, 415, "Unsupported documented encoding; supported encoding is UTF-8",
                () -> data.updateThingShadow(r -> r.thingName(thing)
                        .payload(SdkBytes.fromByteArray(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}))));

        JsonNode got = tree(data.getThingShadow(r -> r.thingName(thing)).payload());
        assertThat(got.get("state")).isEqualTo(tree("{'reported':{'a':1}}"));
        assertThat(got.get("version").asLong()).isEqualTo(1);
        assertThat(node.bus().drain()).isEmpty();
    }

    @Test
    void unknownThingsAndBadShadowNamesAreRejected() {
        fails(ResourceNotFoundException.class, 404, "Thing not found",
                () -> data.updateThingShadow(r -> r.thingName("never-created").payload(doc("{'state':{'reported':{'a':1}}}"))));
        fails(ResourceNotFoundException.class, 404, "Thing not found",
                () -> data.listNamedShadowsForThing(r -> r.thingName("never-created")));
        String thing = newThing();
        fails(InvalidRequestException.class, 400, "shadowName must be 1 to 64 characters of [$a-zA-Z0-9:_-], got 'a.b'",
                () -> data.getThingShadow(r -> r.thingName(thing).shadowName("a.b")));
        assertThat(node.bus().drain()).isEmpty();
    }

    @Test
    void publishReachesTheBusWithTopicQosAndRetain() {
        data.publish(r -> r.topic("devices/lamp-1/cmd").qos(1).retain(true).payload(SdkBytes.fromUtf8String("on")));
        List<Message> published = node.bus().drain();
        assertThat(published).hasSize(1);
        assertThat(published.getFirst().topic().value()).isEqualTo("devices/lamp-1/cmd");
        assertThat(published.getFirst().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(published.getFirst().retain()).isTrue();
        assertThat(new String(published.getFirst().payload(), StandardCharsets.UTF_8)).isEqualTo("on");

        fails(InvalidRequestException.class, 400, "qos must be 0 or 1, got 2",
                () -> data.publish(r -> r.topic("a/b").qos(2).payload(SdkBytes.fromUtf8String("x"))));
        fails(InvalidRequestException.class, 400, "topic 'a/+' must not contain the wildcard '+'",
                () -> data.publish(r -> r.topic("a/+").payload(SdkBytes.fromUtf8String("x"))));
        assertThat(node.bus().drain()).isEmpty();
    }

    @Test
    void readOnlyKeysMayReadShadowsButNotChangeThem() throws Exception {
        String thing = newThing();
        data.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':{'reported':{'a':1}}}")));
        try (IotDataPlaneClient reader = node.dataPlaneClient(node.readOnlyKey())) {
            assertThat(tree(reader.getThingShadow(r -> r.thingName(thing)).payload()).get("version").asLong()).isEqualTo(1);
            IotDataPlaneException denied = catchThrowableOfType(IotDataPlaneException.class,
                    () -> reader.updateThingShadow(r -> r.thingName(thing).payload(doc("{'state':{'reported':{'a':2}}}"))));
            assertThat(denied.statusCode()).isEqualTo(403);
            denied = catchThrowableOfType(IotDataPlaneException.class,
                    () -> reader.publish(r -> r.topic("a").payload(SdkBytes.fromUtf8String("x"))));
            assertThat(denied.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void requestsSignedForTheControlPlaneAreRefusedOnTheDataPlane() throws Exception {
        String thing = newThing();
        // TestSigner signs for service "iot"; the data plane expects "iotdata".
        HttpResponse<String> response = node.send("GET", "/things/" + thing + "/shadow", "");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("iotdata");
    }

    @Test
    void everyDataPlaneRouteHasTheSdkModelsMethodAndUri() throws Exception {
        List<Route> dataRoutes = node.routes().stream().filter(r -> r.signingName().equals(DataPlane.SIGNING_NAME)).toList();
        assertThat(dataRoutes).extracting(Route::operation).containsExactlyInAnyOrder(
                "GetThingShadow", "UpdateThingShadow", "DeleteThingShadow", "ListNamedShadowsForThing", "Publish");
        for (Route route : dataRoutes) {
            Field field = Class.forName("software.amazon.awssdk.services.iotdataplane.transform." + route.operation()
                    + "RequestMarshaller").getDeclaredField("SDK_OPERATION_BINDING");
            field.setAccessible(true);
            OperationInfo model = (OperationInfo) field.get(null);
            assertThat(route.method() + " " + route.template()).as(route.operation())
                    .isEqualTo(model.httpMethod().name() + " " + model.requestUri());
        }
    }
}
