package io.rampart.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.registry.Registry;
import io.rampart.registry.ThingType;
import io.rampart.registry.ThingTypes;
import java.math.BigDecimal;
import java.util.List;

/** CreateThingType, DescribeThingType, ListThingTypes, DeprecateThingType and DeleteThingType. */
final class ThingTypeRoutes implements RouteGroup {

    @Override
    public List<Route> routes(ApiServices services) {
        Registry registry = services.registry();
        return List.of(
                Route.write("POST", "/thing-types/{thingTypeName}", "CreateThingType", request -> createThingType(registry.thingTypes(), request)),
                Route.read("GET", "/thing-types/{thingTypeName}", "DescribeThingType", request -> {
                    ThingType type = registry.thingTypes().describe(request.pathParam("thingTypeName"));
                    return ApiResponse.ok(new ThingTypeDescription(type.name(), type.id(), type.arn(),
                            Properties.of(type), Metadata.of(type)));
                }),
                Route.read("GET", "/thing-types", "ListThingTypes", request -> {
                    String name = request.query("thingTypeName").filter(v -> !v.isEmpty()).orElse(null);
                    Page<ThingType> page = registry.thingTypes().list(name, request.page("maxResults", "nextToken"));
                    List<Definition> items = page.items().stream()
                            .map(type -> new Definition(type.name(), type.arn(), Properties.of(type), Metadata.of(type)))
                            .toList();
                    return ApiResponse.ok(new ThingTypeList(items, page.nextToken()));
                }),
                Route.write("POST", "/thing-types/{thingTypeName}/deprecate", "DeprecateThingType", request -> {
                    boolean undo = ApiRequest.optionalBoolean(request.body(), "undoDeprecate").orElse(false);
                    registry.thingTypes().deprecate(request.pathParam("thingTypeName"), undo);
                    return ApiResponse.empty();
                }),
                Route.write("DELETE", "/thing-types/{thingTypeName}", "DeleteThingType", request -> {
                    registry.thingTypes().delete(request.pathParam("thingTypeName"));
                    return ApiResponse.empty();
                }));
    }

    private static ApiResponse createThingType(ThingTypes types, ApiRequest request) {
        ObjectNode body = request.body();
        BodyMembers.refuse(body, "tags", "Rampart does not tag resources yet; create the thing type without tags");
        ObjectNode properties = BodyMembers.optionalObject(body, "thingTypeProperties").orElseGet(() -> request.mapper().createObjectNode());
        BodyMembers.refuse(properties, "mqtt5Configuration", "MQTT 5 property propagation is not available in Rampart yet");
        String description = ApiRequest.optionalText(properties, "thingTypeDescription").orElse(null);
        List<String> searchable = BodyMembers.optionalStringList(properties, "searchableAttributes",
                "thingTypeProperties.searchableAttributes").orElse(List.of());
        ThingType type = types.create(request.pathParam("thingTypeName"), description, searchable);
        return ApiResponse.ok(new CreatedThingType(type.name(), type.arn(), type.id()));
    }

    record CreatedThingType(String thingTypeName, String thingTypeArn, String thingTypeId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Properties(String thingTypeDescription, List<String> searchableAttributes) {
        static Properties of(ThingType type) {
            return new Properties(type.description(), type.searchableAttributes());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Metadata(boolean deprecated, BigDecimal deprecationDate, BigDecimal creationDate) {
        static Metadata of(ThingType type) {
            return new Metadata(type.deprecated(),
                    type.deprecationDate() == null ? null : ApiResponse.epochSeconds(type.deprecationDate()),
                    ApiResponse.epochSeconds(type.creationDate()));
        }
    }

    record ThingTypeDescription(String thingTypeName, String thingTypeId, String thingTypeArn,
                                Properties thingTypeProperties, Metadata thingTypeMetadata) {
    }

    record Definition(String thingTypeName, String thingTypeArn, Properties thingTypeProperties, Metadata thingTypeMetadata) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThingTypeList(List<Definition> thingTypes, String nextToken) {
    }
}
