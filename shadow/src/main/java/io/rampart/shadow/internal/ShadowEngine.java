package io.rampart.shadow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.RampartException;
import io.rampart.shadow.ShadowLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The AWS IoT Device Shadow document semantics, without storage or transport: request validation, the merge of
 * an update into the stored state, per-leaf metadata, the computed delta and every reply document.
 *
 * <p>Messages are AWS's, from "Device Shadow error messages" in the AWS IoT Developer Guide. Timestamps are
 * whole epoch seconds, as AWS writes them in shadow documents.
 */
public final class ShadowEngine {
    static final String INVALID_JSON = "Invalid JSON";
    static final String MISSING_STATE = "Missing required node: state";
    static final String STATE_NOT_OBJECT = "State node must be an object";
    static final String DESIRED_NOT_OBJECT = "Desired node must be an object";
    static final String REPORTED_NOT_OBJECT = "Reported node must be an object";
    static final String INVALID_VERSION = "Invalid version";
    static final String INVALID_CLIENT_TOKEN = "Invalid clientToken";
    static final String INVALID_NODE = "State contains an invalid node";
    static final String VERSION_CONFLICT = "Version conflict";
    static final String TOO_LARGE = "The payload exceeds the maximum size allowed";
    static final String NOT_UTF8 = "Unsupported documented encoding; supported encoding is UTF-8";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ShadowLimits limits;
    private final ObjectMapper json = Json.newMapper();

    public ShadowEngine(ShadowLimits limits) {
        this.limits = limits;
    }

    // ---- requests ------------------------------------------------------------------------------------------

    /** Validates an update payload; throws RampartException with AWS's code and message. */
    public UpdateRequest parseUpdate(byte[] payload) {
        ObjectNode root = parseObject(payload);
        String clientToken = clientToken(root);
        Long version = version(root);
        if (!root.has("state")) {
            throw new RampartException(ErrorType.INVALID_REQUEST, MISSING_STATE);
        }
        JsonNode state = root.get("state");
        if (!state.isObject()) {
            throw new RampartException(ErrorType.INVALID_REQUEST, STATE_NOT_OBJECT);
        }
        for (Iterator<String> names = state.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            // AWS stores only desired and reported; delta and anything else are not the client's to set.
            if (!name.equals("desired") && !name.equals("reported")) {
                throw new RampartException(ErrorType.INVALID_REQUEST, INVALID_NODE);
            }
        }
        JsonNode desired = section(state, "desired", DESIRED_NOT_OBJECT);
        JsonNode reported = section(state, "reported", REPORTED_NOT_OBJECT);
        return new UpdateRequest((ObjectNode) state, desired, reported, version, clientToken);
    }

    /** Validates a get or delete payload: empty, or a JSON object with an optional clientToken and version. */
    public RequestToken parseToken(byte[] payload) {
        if (payload.length == 0) {
            return RequestToken.NONE;
        }
        ObjectNode root = parseObject(payload);
        return new RequestToken(clientToken(root), version(root));
    }

    /** The clientToken of a payload that may be invalid, for echoing on a rejection; null when there is none. */
    public String clientTokenOf(byte[] payload) {
        try {
            JsonNode root = json.readTree(payload);
            JsonNode token = root == null ? null : root.get("clientToken");
            return token != null && token.isTextual() && utf8Length(token.textValue()) <= limits.maxClientTokenBytes()
                    ? token.textValue() : null;
        } catch (IOException e) {
            // The payload is not JSON: its rejection says so, and there is no token to echo.
            return null;
        }
    }

    private ObjectNode parseObject(byte[] payload) {
        checkUtf8(payload);
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (IOException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST, INVALID_JSON, e);
        }
        if (root == null || !root.isObject()) {
            throw new RampartException(ErrorType.INVALID_REQUEST, INVALID_JSON);
        }
        return (ObjectNode) root;
    }

    private static void checkUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
        } catch (CharacterCodingException e) {
            throw new RampartException(ErrorType.UNSUPPORTED_DOCUMENT_ENCODING, NOT_UTF8, e);
        }
    }

    private String clientToken(ObjectNode root) {
        JsonNode token = root.get("clientToken");
        if (token == null) {
            return null;
        }
        if (!token.isTextual() || utf8Length(token.textValue()) > limits.maxClientTokenBytes()) {
            throw new RampartException(ErrorType.INVALID_REQUEST, INVALID_CLIENT_TOKEN);
        }
        return token.textValue();
    }

    private static Long version(ObjectNode root) {
        JsonNode version = root.get("version");
        if (version == null) {
            return null;
        }
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 0) {
            throw new RampartException(ErrorType.INVALID_REQUEST, INVALID_VERSION);
        }
        return version.longValue();
    }

    private JsonNode section(JsonNode state, String name, String notObject) {
        JsonNode section = state.get(name);
        if (section == null || section.isNull()) {
            return section;
        }
        if (!section.isObject()) {
            throw new RampartException(ErrorType.INVALID_REQUEST, notObject);
        }
        if (depth(section) > limits.maxDepth()) {
            throw new RampartException(ErrorType.INVALID_REQUEST,
                    "JSON contains too many levels of nesting; maximum is " + limits.maxDepth());
        }
        return section;
    }

    /** Levels of nesting: {@code {"a":1}} is 1, {@code {"a":{"b":1}}} is 2; arrays count as a level. */
    static int depth(JsonNode node) {
        if (!node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return 1 + deepest;
    }

    // ---- update --------------------------------------------------------------------------------------------

    /**
     * Applies {@code request} to a shadow at {@code version} ({@code current} null when it does not exist; its
     * version is then the deleted shadow's, or 0). Throws 409 on a version mismatch and 413 when the merged
     * state exceeds the limit.
     */
    public UpdateOutcome update(ShadowState current, long version, UpdateRequest request, Instant now) {
        if (request.version() != null && request.version() != version) {
            throw new RampartException(ErrorType.CONFLICT, VERSION_CONFLICT);
        }
        long timestamp = now.getEpochSecond();
        ShadowState before = current == null ? ShadowState.EMPTY : current;
        ObjectNode[] desired = mergeSection(before.desired(), before.desiredMetadata(), request.desired(), timestamp);
        ObjectNode[] reported = mergeSection(before.reported(), before.reportedMetadata(), request.reported(), timestamp);
        ShadowState after = new ShadowState(desired[0], reported[0], desired[1], reported[1]);
        if (stateBytes(after) > limits.maxStateBytes()) {
            throw new RampartException(ErrorType.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE);
        }
        long newVersion = version + 1;

        ObjectNode accepted = NODES.objectNode();
        accepted.set("state", request.state().deepCopy());
        ObjectNode metadata = accepted.putObject("metadata");
        if (request.desired() != null) {
            metadata.set("desired", touchedMetadata(request.desired(), timestamp));
        }
        if (request.reported() != null) {
            metadata.set("reported", touchedMetadata(request.reported(), timestamp));
        }
        accepted.put("version", newVersion);
        accepted.put("timestamp", timestamp);
        putToken(accepted, request.clientToken());

        ObjectNode documents = NODES.objectNode();
        if (current != null) {
            documents.set("previous", snapshot(current, version));
        }
        documents.set("current", snapshot(after, newVersion));
        documents.put("timestamp", timestamp);
        putToken(documents, request.clientToken());

        ObjectNode delta = null;
        ObjectNode deltaState = after.desired() == null ? null : delta(after.desired(), after.reported());
        // AWS publishes on update/delta when an update touches the desired state and desired differs from reported.
        if (request.desired() != null && deltaState != null && !deltaState.isEmpty()) {
            delta = NODES.objectNode();
            delta.put("version", newVersion);
            delta.put("timestamp", timestamp);
            delta.set("state", deltaState);
            delta.set("metadata", deltaMetadata(deltaState, after.desiredMetadata()));
            putToken(delta, request.clientToken());
        }
        return new UpdateOutcome(after, newVersion, accepted, documents, delta);
    }

    /** {section, metadata} after applying {@code patch} (absent: unchanged; null: removed; object: merged). */
    private static ObjectNode[] mergeSection(ObjectNode section, ObjectNode metadata, JsonNode patch, long timestamp) {
        if (patch == null) {
            return new ObjectNode[] {section, metadata};
        }
        if (patch.isNull()) {
            return new ObjectNode[] {null, null};
        }
        ObjectNode target = section == null ? NODES.objectNode() : section.deepCopy();
        ObjectNode targetMetadata = metadata == null ? NODES.objectNode() : metadata.deepCopy();
        merge(target, targetMetadata, (ObjectNode) patch, timestamp);
        return new ObjectNode[] {target, targetMetadata};
    }

    private static void merge(ObjectNode target, ObjectNode metadata, ObjectNode patch, long timestamp) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(name);
                metadata.remove(name);
            } else if (value.isObject()) {
                JsonNode existing = target.get(name);
                JsonNode existingMetadata = metadata.get(name);
                ObjectNode child = existing != null && existing.isObject() ? (ObjectNode) existing : target.putObject(name);
                ObjectNode childMetadata = existing != null && existing.isObject() && existingMetadata != null
                        && existingMetadata.isObject() ? (ObjectNode) existingMetadata : metadata.putObject(name);
                merge(child, childMetadata, (ObjectNode) value, timestamp);
            } else {
                // Scalars and arrays replace the stored value whole (AWS never merges arrays).
                target.set(name, value.deepCopy());
                metadata.set(name, leafMetadata(value, timestamp));
            }
        }
    }

    /** Metadata of a stored value: {"timestamp"} per scalar, mirrored through objects and array elements. */
    private static JsonNode leafMetadata(JsonNode value, long timestamp) {
        if (value.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                out.set(field.getKey(), leafMetadata(field.getValue(), timestamp));
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode element : value) {
                out.add(leafMetadata(element, timestamp));
            }
            return out;
        }
        return NODES.objectNode().put("timestamp", timestamp);
    }

    /** Metadata of what an update touched, deletions (null leaves) included, as AWS answers on update/accepted. */
    private static JsonNode touchedMetadata(JsonNode patch, long timestamp) {
        if (patch.isNull()) {
            return NODES.objectNode().put("timestamp", timestamp);
        }
        if (patch.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : patch.properties()) {
                out.set(field.getKey(), touchedMetadata(field.getValue(), timestamp));
            }
            return out;
        }
        return leafMetadata(patch, timestamp);
    }

    // ---- delta and documents -------------------------------------------------------------------------------

    /**
     * The desired leaves that differ from reported: objects are compared key by key (recursively), everything
     * else (scalars, arrays) whole. Empty when desired is a subset of reported.
     */
    public static ObjectNode delta(ObjectNode desired, ObjectNode reported) {
        ObjectNode out = NODES.objectNode();
        if (desired == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> field : desired.properties()) {
            JsonNode wanted = field.getValue();
            JsonNode actual = reported == null ? null : reported.get(field.getKey());
            if (wanted.isObject() && actual != null && actual.isObject()) {
                ObjectNode nested = delta((ObjectNode) wanted, (ObjectNode) actual);
                if (!nested.isEmpty()) {
                    out.set(field.getKey(), nested);
                }
            } else if (actual == null || !wanted.equals(actual)) {
                out.set(field.getKey(), wanted.deepCopy());
            }
        }
        return out;
    }

    private static ObjectNode deltaMetadata(ObjectNode delta, ObjectNode desiredMetadata) {
        ObjectNode out = NODES.objectNode();
        if (desiredMetadata == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> field : delta.properties()) {
            JsonNode metadata = desiredMetadata.get(field.getKey());
            if (metadata == null) {
                continue;
            }
            if (field.getValue().isObject() && metadata.isObject()) {
                out.set(field.getKey(), deltaMetadata((ObjectNode) field.getValue(), (ObjectNode) metadata));
            } else {
                out.set(field.getKey(), metadata.deepCopy());
            }
        }
        return out;
    }

    /** The full document GetThingShadow and {@code get/accepted} return. */
    public ObjectNode document(ShadowState state, long version, Instant now, String clientToken) {
        ObjectNode out = NODES.objectNode();
        ObjectNode stateNode = out.putObject("state");
        ObjectNode metadata = out.putObject("metadata");
        if (state.desired() != null) {
            stateNode.set("desired", state.desired().deepCopy());
            metadata.set("desired", state.desiredMetadata().deepCopy());
        }
        if (state.reported() != null) {
            stateNode.set("reported", state.reported().deepCopy());
            metadata.set("reported", state.reportedMetadata().deepCopy());
        }
        ObjectNode delta = delta(state.desired(), state.reported());
        if (!delta.isEmpty()) {
            stateNode.set("delta", delta);
        }
        out.put("version", version);
        out.put("timestamp", now.getEpochSecond());
        putToken(out, clientToken);
        return out;
    }

    /** The reply to an accepted delete: the deleted version, a timestamp and the client token. */
    public ObjectNode deleted(long version, Instant now, String clientToken) {
        ObjectNode out = NODES.objectNode();
        out.put("version", version);
        out.put("timestamp", now.getEpochSecond());
        putToken(out, clientToken);
        return out;
    }

    /** The payload AWS publishes on {@code .../rejected}. */
    public ObjectNode error(int code, String message, Instant now, String clientToken) {
        ObjectNode out = NODES.objectNode();
        out.put("code", code);
        out.put("message", message);
        out.put("timestamp", now.getEpochSecond());
        putToken(out, clientToken);
        return out;
    }

    private static ObjectNode snapshot(ShadowState state, long version) {
        ObjectNode out = NODES.objectNode();
        ObjectNode stateNode = out.putObject("state");
        ObjectNode metadata = out.putObject("metadata");
        if (state.desired() != null) {
            stateNode.set("desired", state.desired().deepCopy());
            metadata.set("desired", state.desiredMetadata().deepCopy());
        }
        if (state.reported() != null) {
            stateNode.set("reported", state.reported().deepCopy());
            metadata.set("reported", state.reportedMetadata().deepCopy());
        }
        out.put("version", version);
        return out;
    }

    /** Bytes counted against the limit: desired plus reported, compact, metadata excluded (as AWS counts). */
    public int stateBytes(ShadowState state) {
        return compactLength(state.desired()) + compactLength(state.reported());
    }

    private int compactLength(ObjectNode node) {
        if (node == null) {
            return 0;
        }
        try {
            return json.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree must serialize", e);
        }
    }

    /** The stored form of a state: {"state": {desired, reported}, "metadata": {desired, reported}}. */
    public String storedForm(ShadowState state) {
        ObjectNode out = snapshot(state, 0);
        out.remove("version");
        try {
            return json.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree must serialize", e);
        }
    }

    /** Reads {@link #storedForm(ShadowState)} back. */
    public ShadowState fromStoredForm(String stored) {
        try {
            JsonNode root = json.readTree(stored);
            JsonNode state = root.path("state");
            JsonNode metadata = root.path("metadata");
            return new ShadowState(objectOrNull(state.get("desired")), objectOrNull(state.get("reported")),
                    objectOrNull(metadata.get("desired")), objectOrNull(metadata.get("reported")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored shadow document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode objectOrNull(JsonNode node) {
        return node instanceof ObjectNode object ? object : null;
    }

    private static void putToken(ObjectNode out, String clientToken) {
        if (clientToken != null) {
            out.put("clientToken", clientToken);
        }
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
