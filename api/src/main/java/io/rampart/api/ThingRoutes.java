package io.rampart.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.Registry;
import io.rampart.registry.Thing;
import io.rampart.registry.ThingFilter;
import io.rampart.registry.ThingUpdate;
import io.rampart.registry.Things;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Things and their principals: CreateThing, DescribeThing, UpdateThing, DeleteThing, ListThings,
 * AttachThingPrincipal, DetachThingPrincipal, ListThingPrincipals and ListPrincipalThings, with the paths,
 * members and answers of the AWS IoT restJson1 model.
 */
final class ThingRoutes implements RouteGroup {
    /** The header the thing-principal calls carry the principal (a certificate ARN) in. */
    static final String PRINCIPAL_HEADER = "x-amzn-principal";

    @Override
    public List<Route> routes(ApiServices services) {
        Registry registry = services.registry();
        return List.of(
                Route.write("POST", "/things/{thingName}", "CreateThing", request -> createThing(registry.things(), request)),
                Route.read("GET", "/things/{thingName}", "DescribeThing",
                        request -> ApiResponse.ok(ThingDescription.of(registry.things().describe(request.pathParam("thingName"))))),
                Route.write("PATCH", "/things/{thingName}", "UpdateThing", request -> updateThing(registry.things(), request)),
                Route.write("DELETE", "/things/{thingName}", "DeleteThing", request -> {
                    registry.things().delete(request.pathParam("thingName"), expectedVersion(request));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/things", "ListThings", request -> listThings(registry.things(), request)),
                Route.write("PUT", "/things/{thingName}/principals", "AttachThingPrincipal", request -> {
                    thingPrincipalType(request);
                    registry.attachments().attachThingPrincipal(request.pathParam("thingName"), principal(request));
                    return ApiResponse.empty();
                }),
                Route.write("DELETE", "/things/{thingName}/principals", "DetachThingPrincipal", request -> {
                    registry.attachments().detachThingPrincipal(request.pathParam("thingName"), principal(request));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/things/{thingName}/principals", "ListThingPrincipals", request -> {
                    Page<String> page = registry.attachments().listThingPrincipals(request.pathParam("thingName"),
                            request.page("maxResults", "nextToken"));
                    return ApiResponse.ok(new PrincipalList(page.items(), page.nextToken()));
                }),
                Route.read("GET", "/principals/things", "ListPrincipalThings", request -> {
                    Page<String> page = registry.attachments().listPrincipalThings(principal(request), request.page("maxResults", "nextToken"));
                    return ApiResponse.ok(new ThingNameList(page.items(), page.nextToken()));
                }));
    }

    private static ApiResponse createThing(Things things, ApiRequest request) {
        ObjectNode body = request.body();
        BodyMembers.refuse(body, "billingGroupName", "Rampart has no billing groups; create the thing without one");
        String thingTypeName = ApiRequest.optionalText(body, "thingTypeName").orElse(null);
        Map<String, String> attributes = attributePayload(body).map(AttributePayload::attributes).orElse(Map.of());
        Thing thing = things.create(request.pathParam("thingName"), thingTypeName, attributes);
        return ApiResponse.ok(new CreatedThing(thing.name(), thing.arn(), thing.id()));
    }

    private static ApiResponse updateThing(Things things, ApiRequest request) {
        ObjectNode body = request.body();
        String thingTypeName = ApiRequest.optionalText(body, "thingTypeName").orElse(null);
        boolean removeThingType = ApiRequest.optionalBoolean(body, "removeThingType").orElse(false);
        if (removeThingType && thingTypeName != null) {
            throw RampartException.invalidRequest("give either thingTypeName or removeThingType=true, not both");
        }
        Optional<AttributePayload> payload = attributePayload(body);
        Long expectedVersion = BodyMembers.optionalLong(body, "expectedVersion").orElse(null);
        things.update(request.pathParam("thingName"), new ThingUpdate(thingTypeName, removeThingType,
                payload.map(AttributePayload::attributes).orElse(null),
                payload.map(AttributePayload::merge).orElse(false), expectedVersion));
        return ApiResponse.empty();
    }

    private static ApiResponse listThings(Things things, ApiRequest request) {
        String attributeName = request.query("attributeName").filter(v -> !v.isEmpty()).orElse(null);
        String attributeValue = request.query("attributeValue").orElse(null);
        String thingTypeName = request.query("thingTypeName").filter(v -> !v.isEmpty()).orElse(null);
        boolean usePrefix = request.queryBoolean("usePrefixAttributeValue").orElse(false);
        if (attributeValue != null && attributeName == null) {
            throw RampartException.invalidRequest("attributeValue needs attributeName: say which attribute to match");
        }
        if (usePrefix && attributeValue == null) {
            throw RampartException.invalidRequest("usePrefixAttributeValue needs attributeName and attributeValue (the prefix)");
        }
        Page<Thing> page = things.list(new ThingFilter(attributeName, attributeValue, thingTypeName, usePrefix),
                request.page("maxResults", "nextToken"));
        List<ThingAttribute> items = page.items().stream().map(ThingAttribute::of).toList();
        return ApiResponse.ok(new ThingList(items, page.nextToken()));
    }

    /** The {@code attributePayload} member of CreateThing and UpdateThing. */
    static Optional<AttributePayload> attributePayload(ObjectNode body) {
        return BodyMembers.optionalObject(body, "attributePayload").map(payload -> new AttributePayload(
                BodyMembers.optionalStringMap(payload, "attributes", "attributePayload.attributes").orElse(null),
                ApiRequest.optionalBoolean(payload, "merge").orElse(false)));
    }

    /** AWS DeleteThing and DeleteThingGroup carry {@code expectedVersion} in the query string. */
    static Long expectedVersion(ApiRequest request) {
        return request.query("expectedVersion").filter(v -> !v.isEmpty()).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw RampartException.invalidRequest("query parameter 'expectedVersion' must be a whole number, got '" + v + "'");
            }
        }).orElse(null);
    }

    private static String principal(ApiRequest request) {
        return request.header(PRINCIPAL_HEADER).filter(v -> !v.isBlank()).orElseThrow(() -> RampartException.invalidRequest(
                "header '" + PRINCIPAL_HEADER + "' is required: the principal's ARN, e.g. arn:aws:iot:REGION:ACCOUNT:cert/<certificateId>"));
    }

    /**
     * Rampart attaches principals non-exclusively (AWS's default); an exclusive attachment would be silently
     * weaker than asked, so it is refused.
     */
    private static void thingPrincipalType(ApiRequest request) {
        request.query("thingPrincipalType").filter(v -> !v.isEmpty()).ifPresent(type -> {
            switch (type) {
                case "NON_EXCLUSIVE_THING" -> {
                }
                case "EXCLUSIVE_THING" -> throw RampartException.invalidRequest(
                        "thingPrincipalType EXCLUSIVE_THING is not supported; omit it or use NON_EXCLUSIVE_THING");
                default -> throw RampartException.invalidRequest(
                        "thingPrincipalType must be NON_EXCLUSIVE_THING or EXCLUSIVE_THING, got '" + type + "'");
            }
        });
    }

    /**
     * The {@code attributePayload} member; {@code attributes} is null when the payload names none, so an update
     * that only says {@code {"merge": true}} keeps the attributes instead of clearing them.
     */
    record AttributePayload(Map<String, String> attributes, boolean merge) {
    }

    record CreatedThing(String thingName, String thingArn, String thingId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThingDescription(String defaultClientId, String thingName, String thingId, String thingArn,
                            String thingTypeName, Map<String, String> attributes, long version) {
        static ThingDescription of(Thing thing) {
            return new ThingDescription(thing.defaultClientId(), thing.name(), thing.id(), thing.arn(),
                    thing.thingTypeName(), thing.attributes(), thing.version());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThingAttribute(String thingName, String thingTypeName, String thingArn, Map<String, String> attributes, long version) {
        static ThingAttribute of(Thing thing) {
            return new ThingAttribute(thing.name(), thing.thingTypeName(), thing.arn(), thing.attributes(), thing.version());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThingList(List<ThingAttribute> things, String nextToken) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PrincipalList(List<String> principals, String nextToken) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThingNameList(List<String> things, String nextToken) {
    }
}
