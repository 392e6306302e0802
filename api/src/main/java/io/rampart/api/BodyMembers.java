package io.rampart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.RampartException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to members of a JSON request body beyond what {@link ApiRequest} offers (numbers, nested
 * objects, string maps and lists). A member of the wrong JSON type is an InvalidRequestException naming it
 * by its path ({@code attributePayload.attributes.color}), never a silent coercion.
 */
final class BodyMembers {
    private BodyMembers() {
    }

    /**
     * Refuses a member Rampart does not implement (billing groups, tags, Cognito...) instead of ignoring it,
     * so a caller never believes a setting took effect when it did not.
     */
    static void refuse(JsonNode body, String member, String reason) {
        JsonNode value = body.get(member);
        if (value != null && !value.isNull()) {
            throw RampartException.invalidRequest("member '" + member + "' is not supported: " + reason);
        }
    }

    /** An optional JSON object member; absent and {@code null} are both empty. */
    static Optional<ObjectNode> optionalObject(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            throw RampartException.invalidRequest("member '" + member + "' must be a JSON object");
        }
        return Optional.of(object);
    }

    /** An optional integral member (e.g. {@code expectedVersion}); fractions and strings are refused. */
    static Optional<Long> optionalLong(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw RampartException.invalidRequest("member '" + member + "' must be a whole number, got " + value);
        }
        return Optional.of(value.longValue());
    }

    /** An optional object of string values (e.g. {@code attributes}), in request order. */
    static Optional<Map<String, String>> optionalStringMap(JsonNode body, String member, String path) {
        return optionalObject(body, member).map(object -> {
            Map<String, String> map = new LinkedHashMap<>();
            object.properties().forEach(entry -> {
                JsonNode value = entry.getValue();
                if (!value.isTextual()) {
                    throw RampartException.invalidRequest("member '" + path + "." + entry.getKey() + "' must be a string, got "
                            + value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
                }
                map.put(entry.getKey(), value.textValue());
            });
            return map;
        });
    }

    /** An optional array of strings (e.g. {@code searchableAttributes}). */
    static Optional<List<String>> optionalStringList(JsonNode body, String member, String path) {
        return optionalArray(body, member, path).map(array -> {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (!item.isTextual()) {
                    throw RampartException.invalidRequest("member '" + path + "[" + i + "]' must be a string");
                }
                strings.add(item.textValue());
            }
            return strings;
        });
    }

    /** An optional array of JSON objects (e.g. {@code authInfos}). */
    static Optional<List<ObjectNode>> optionalObjectList(JsonNode body, String member, String path) {
        return optionalArray(body, member, path).map(array -> {
            List<ObjectNode> objects = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof ObjectNode object)) {
                    throw RampartException.invalidRequest("member '" + path + "[" + i + "]' must be a JSON object");
                }
                objects.add(object);
            }
            return objects;
        });
    }

    private static Optional<JsonNode> optionalArray(JsonNode body, String member, String path) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw RampartException.invalidRequest("member '" + path + "' must be a JSON array");
        }
        return Optional.of(value);
    }
}
