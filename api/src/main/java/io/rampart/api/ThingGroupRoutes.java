package io.rampart.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.AwsScope;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.GroupRef;
import io.rampart.registry.Registry;
import io.rampart.registry.ThingGroup;
import io.rampart.registry.ThingGroupFilter;
import io.rampart.registry.ThingGroups;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Static thing groups: Create/Describe/Update/Delete/ListThingGroups, AddThingToThingGroup,
 * RemoveThingFromThingGroup, ListThingsInThingGroup and ListThingGroupsForThing.
 */
final class ThingGroupRoutes implements RouteGroup {
    private final AwsScope scope;

    ThingGroupRoutes(AwsScope scope) {
        this.scope = scope;
    }

    @Override
    public List<Route> routes(ApiServices services) {
        Registry registry = services.registry();
        return List.of(
                Route.write("POST", "/thing-groups/{thingGroupName}", "CreateThingGroup", request -> createGroup(registry.thingGroups(), request)),
                Route.read("GET", "/thing-groups/{thingGroupName}", "DescribeThingGroup",
                        request -> ApiResponse.ok(Description.of(registry.thingGroups().describe(request.pathParam("thingGroupName"))))),
                Route.write("PATCH", "/thing-groups/{thingGroupName}", "UpdateThingGroup", request -> updateGroup(registry.thingGroups(), request)),
                Route.write("DELETE", "/thing-groups/{thingGroupName}", "DeleteThingGroup", request -> {
                    registry.thingGroups().delete(request.pathParam("thingGroupName"), ThingRoutes.expectedVersion(request));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/thing-groups", "ListThingGroups", request -> listGroups(registry.thingGroups(), request)),
                Route.write("PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup", request -> {
                    Membership membership = membership(request.body());
                    registry.thingGroups().addThing(membership.groupName(), membership.thingName());
                    return ApiResponse.empty();
                }),
                Route.write("PUT", "/thing-groups/removeThingFromThingGroup", "RemoveThingFromThingGroup", request -> {
                    Membership membership = membership(request.body());
                    registry.thingGroups().removeThing(membership.groupName(), membership.thingName());
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/thing-groups/{thingGroupName}/things", "ListThingsInThingGroup", request -> {
                    Page<String> page = registry.thingGroups().listThings(request.pathParam("thingGroupName"),
                            request.queryBoolean("recursive").orElse(false), request.page("maxResults", "nextToken"));
                    return ApiResponse.ok(new ThingRoutes.ThingNameList(page.items(), page.nextToken()));
                }),
                Route.read("GET", "/things/{thingName}/thing-groups", "ListThingGroupsForThing", request -> {
                    Page<GroupRef> page = registry.thingGroups().listGroupsForThing(request.pathParam("thingName"), request.page("maxResults", "nextToken"));
                    return ApiResponse.ok(new GroupList(page.items().stream().map(GroupNameAndArn::of).toList(), page.nextToken()));
                }));
    }

    private static ApiResponse createGroup(ThingGroups groups, ApiRequest request) {
        ObjectNode body = request.body();
        BodyMembers.refuse(body, "tags", "Rampart does not tag resources yet; create the thing group without tags");
        String parent = ApiRequest.optionalText(body, "parentGroupName").orElse(null);
        Optional<ObjectNode> properties = BodyMembers.optionalObject(body, "thingGroupProperties");
        String description = properties.flatMap(p -> ApiRequest.optionalText(p, "thingGroupDescription")).orElse(null);
        Map<String, String> attributes = properties.flatMap(ThingRoutes::attributePayload)
                .map(ThingRoutes.AttributePayload::attributes).orElse(Map.of());
        ThingGroup group = groups.create(request.pathParam("thingGroupName"), parent, description, attributes);
        return ApiResponse.ok(new CreatedGroup(group.name(), group.arn(), group.id()));
    }

    private static ApiResponse updateGroup(ThingGroups groups, ApiRequest request) {
        ObjectNode body = request.body();
        // thingGroupProperties is required by the AWS model: an update that names nothing to change is a mistake.
        ObjectNode properties = BodyMembers.optionalObject(body, "thingGroupProperties").orElseThrow(() ->
                RampartException.invalidRequest("member 'thingGroupProperties' is required: give thingGroupDescription and/or attributePayload"));
        String description = ApiRequest.optionalText(properties, "thingGroupDescription").orElse(null);
        Optional<ThingRoutes.AttributePayload> payload = ThingRoutes.attributePayload(properties);
        Long expectedVersion = BodyMembers.optionalLong(body, "expectedVersion").orElse(null);
        ThingGroup updated = groups.update(request.pathParam("thingGroupName"), description,
                payload.map(ThingRoutes.AttributePayload::attributes).orElse(null),
                payload.map(ThingRoutes.AttributePayload::merge).orElse(false), expectedVersion);
        return ApiResponse.ok(Map.of("version", updated.version()));
    }

    private static ApiResponse listGroups(ThingGroups groups, ApiRequest request) {
        String parent = request.query("parentGroup").filter(v -> !v.isEmpty()).orElse(null);
        String prefix = request.query("namePrefixFilter").filter(v -> !v.isEmpty()).orElse(null);
        // The AWS model gives recursive no default ("If true, return child groups as well"): without a parent every
        // group is listed, as AWS does; with a parent, only its direct children unless recursive=true is asked for.
        boolean recursive = request.queryBoolean("recursive").orElse(parent == null);
        Page<GroupRef> page = groups.list(new ThingGroupFilter(parent, prefix, recursive), request.page("maxResults", "nextToken"));
        return ApiResponse.ok(new GroupList(page.items().stream().map(GroupNameAndArn::of).toList(), page.nextToken()));
    }

    /**
     * The group and thing of Add/RemoveThingFromThingGroup, each given by name or ARN (AWS accepts either);
     * when both are given they must name the same resource.
     */
    private Membership membership(ObjectNode body) {
        if (ApiRequest.optionalBoolean(body, "overrideDynamicGroups").orElse(false)) {
            throw RampartException.invalidRequest("overrideDynamicGroups is not supported: Rampart has static thing groups only");
        }
        String group = nameOrArn(body, "thingGroupName", "thingGroupArn", "thinggroup");
        String thing = nameOrArn(body, "thingName", "thingArn", "thing");
        return new Membership(group, thing);
    }

    private String nameOrArn(ObjectNode body, String nameMember, String arnMember, String resourceType) {
        Optional<String> name = ApiRequest.optionalText(body, nameMember);
        Optional<String> arn = ApiRequest.optionalText(body, arnMember);
        String prefix = scope.arnPrefix() + resourceType + "/";
        Optional<String> fromArn = arn.map(value -> {
            if (!value.startsWith(prefix) || value.length() == prefix.length()) {
                throw RampartException.invalidRequest(arnMember + " must look like " + prefix + "<name>, got '" + value + "'");
            }
            return value.substring(prefix.length());
        });
        if (name.isPresent() && fromArn.isPresent() && !name.get().equals(fromArn.get())) {
            throw RampartException.invalidRequest(nameMember + " '" + name.get() + "' and " + arnMember + " '" + arn.get()
                    + "' name different resources; give one of them");
        }
        return name.or(() -> fromArn).orElseThrow(() ->
                RampartException.invalidRequest("member '" + nameMember + "' or '" + arnMember + "' is required"));
    }

    private record Membership(String groupName, String thingName) {
    }

    record CreatedGroup(String thingGroupName, String thingGroupArn, String thingGroupId) {
    }

    record GroupNameAndArn(String groupName, String groupArn) {
        static GroupNameAndArn of(GroupRef ref) {
            return new GroupNameAndArn(ref.groupName(), ref.groupArn());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GroupList(List<GroupNameAndArn> thingGroups, String nextToken) {
    }

    record AttributePayload(Map<String, String> attributes) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Properties(String thingGroupDescription, AttributePayload attributePayload) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Metadata(String parentGroupName, List<GroupNameAndArn> rootToParentThingGroups, BigDecimal creationDate) {
    }

    record Description(String thingGroupName, String thingGroupId, String thingGroupArn, long version,
                       Properties thingGroupProperties, Metadata thingGroupMetadata) {
        static Description of(ThingGroup group) {
            return new Description(group.name(), group.id(), group.arn(), group.version(),
                    new Properties(group.description(), new AttributePayload(group.attributes())),
                    new Metadata(group.parentGroupName(),
                            group.rootToParentThingGroups().stream().map(GroupNameAndArn::of).toList(),
                            ApiResponse.epochSeconds(group.creationDate())));
        }
    }
}
