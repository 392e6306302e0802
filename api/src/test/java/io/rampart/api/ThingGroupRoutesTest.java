package io.rampart.api;

import static io.rampart.api.AwsErrors.fails;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreateThingGroupResponse;
import software.amazon.awssdk.services.iot.model.DescribeThingGroupResponse;
import software.amazon.awssdk.services.iot.model.GroupNameAndArn;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.ListThingGroupsRequest;
import software.amazon.awssdk.services.iot.model.ListThingsInThingGroupResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.VersionConflictException;

/** Static thing groups, their hierarchy and membership, driven through the AWS SDK for Java v2. */
class ThingGroupRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static IotClient iot() {
        return node.admin();
    }

    private static String groupArn(String name) {
        return ApiTestNode.SCOPE.arn("thinggroup", name);
    }

    @Test
    void createThingGroupAnswersNameArnIdAndDescribeShowsPropertiesAndAncestors() {
        Instant before = Instant.now().minusSeconds(1);
        CreateThingGroupResponse root = iot().createThingGroup(b -> b.thingGroupName("plant"));
        iot().createThingGroup(b -> b.thingGroupName("plant-hall").parentGroupName("plant"));
        CreateThingGroupResponse line = iot().createThingGroup(b -> b.thingGroupName("plant-line").parentGroupName("plant-hall")
                .thingGroupProperties(p -> p.thingGroupDescription("assembly line 3").attributePayload(a -> a.attributes(Map.of("shift", "night")))));

        assertThat(root.thingGroupName()).isEqualTo("plant");
        assertThat(root.thingGroupArn()).isEqualTo(groupArn("plant"));
        assertThat(root.thingGroupId()).isNotBlank();
        DescribeThingGroupResponse described = iot().describeThingGroup(b -> b.thingGroupName("plant-line"));
        assertThat(described.thingGroupName()).isEqualTo("plant-line");
        assertThat(described.thingGroupId()).isEqualTo(line.thingGroupId());
        assertThat(described.thingGroupArn()).isEqualTo(groupArn("plant-line"));
        assertThat(described.version()).isEqualTo(1L);
        assertThat(described.thingGroupProperties().thingGroupDescription()).isEqualTo("assembly line 3");
        assertThat(described.thingGroupProperties().attributePayload().attributes()).isEqualTo(Map.of("shift", "night"));
        assertThat(described.thingGroupMetadata().parentGroupName()).isEqualTo("plant-hall");
        assertThat(described.thingGroupMetadata().rootToParentThingGroups()).extracting(GroupNameAndArn::groupName)
                .containsExactly("plant", "plant-hall");
        assertThat(described.thingGroupMetadata().rootToParentThingGroups()).extracting(GroupNameAndArn::groupArn)
                .containsExactly(groupArn("plant"), groupArn("plant-hall"));
        assertThat(described.thingGroupMetadata().creationDate()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(iot().describeThingGroup(b -> b.thingGroupName("plant")).thingGroupMetadata().rootToParentThingGroups()).isEmpty();
    }

    @Test
    void createThingGroupFailuresAreModeledAndCreateNothing() {
        iot().createThingGroup(b -> b.thingGroupName("fleet").thingGroupProperties(p -> p.thingGroupDescription("one")));
        fails(ResourceAlreadyExistsException.class, 409, "fleet",
                () -> iot().createThingGroup(b -> b.thingGroupName("fleet").thingGroupProperties(p -> p.thingGroupDescription("two"))));
        fails(ResourceNotFoundException.class, 404, "no-parent",
                () -> iot().createThingGroup(b -> b.thingGroupName("child").parentGroupName("no-parent")));
        fails(InvalidRequestException.class, 400, "tags",
                () -> iot().createThingGroup(b -> b.thingGroupName("child").tags(t -> t.key("k").value("v"))));
        fails(InvalidRequestException.class, 400, "thingGroupName", () -> iot().createThingGroup(b -> b.thingGroupName("bad/name")));

        assertThat(iot().describeThingGroup(b -> b.thingGroupName("fleet")).thingGroupProperties().thingGroupDescription()).isEqualTo("one");
        fails(ResourceNotFoundException.class, 404, "child", () -> iot().describeThingGroup(b -> b.thingGroupName("child")));
    }

    @Test
    void updateThingGroupAnswersTheNewVersionAndRefusesAStaleOne() {
        iot().createThingGroup(b -> b.thingGroupName("site").thingGroupProperties(p -> p.attributePayload(a -> a.attributes(Map.of("a", "1")))));
        long version = iot().updateThingGroup(b -> b.thingGroupName("site").expectedVersion(1L)
                .thingGroupProperties(p -> p.thingGroupDescription("main site").attributePayload(a -> a.attributes(Map.of("b", "2")).merge(true)))).version();
        assertThat(version).isEqualTo(2L);
        DescribeThingGroupResponse updated = iot().describeThingGroup(b -> b.thingGroupName("site"));
        assertThat(updated.version()).isEqualTo(2L);
        assertThat(updated.thingGroupProperties().thingGroupDescription()).isEqualTo("main site");
        assertThat(updated.thingGroupProperties().attributePayload().attributes()).isEqualTo(Map.of("a", "1", "b", "2"));

        fails(VersionConflictException.class, 409, "version", () -> iot().updateThingGroup(b -> b.thingGroupName("site").expectedVersion(1L)
                .thingGroupProperties(p -> p.thingGroupDescription("stale"))));
        fails(InvalidRequestException.class, 400, "thingGroupProperties", () -> iot().updateThingGroup(b -> b.thingGroupName("site")));
        fails(ResourceNotFoundException.class, 404, "nowhere", () -> iot().updateThingGroup(b -> b.thingGroupName("nowhere")
                .thingGroupProperties(p -> p.thingGroupDescription("x"))));
        assertThat(iot().describeThingGroup(b -> b.thingGroupName("site")).equalsBySdkFields(updated)).isTrue();
    }

    @Test
    void deleteThingGroupRefusesParentsAndStaleVersionsAndIsQuietForMissingGroups() {
        iot().createThingGroup(b -> b.thingGroupName("top"));
        iot().createThingGroup(b -> b.thingGroupName("top-child").parentGroupName("top"));

        fails(InvalidRequestException.class, 400, "top", () -> iot().deleteThingGroup(b -> b.thingGroupName("top")));
        fails(VersionConflictException.class, 409, "version", () -> iot().deleteThingGroup(b -> b.thingGroupName("top-child").expectedVersion(9L)));
        assertThat(iot().describeThingGroup(b -> b.thingGroupName("top-child")).version()).isEqualTo(1L);

        iot().deleteThingGroup(b -> b.thingGroupName("top-child").expectedVersion(1L));
        iot().deleteThingGroup(b -> b.thingGroupName("top"));
        iot().deleteThingGroup(b -> b.thingGroupName("top"));
        fails(ResourceNotFoundException.class, 404, "top", () -> iot().describeThingGroup(b -> b.thingGroupName("top")));
    }

    @Test
    void listThingGroupsFiltersByParentPrefixAndRecursionAndPagesToTheEnd() {
        iot().createThingGroup(b -> b.thingGroupName("tree"));
        iot().createThingGroup(b -> b.thingGroupName("tree-a").parentGroupName("tree"));
        iot().createThingGroup(b -> b.thingGroupName("tree-b").parentGroupName("tree"));
        iot().createThingGroup(b -> b.thingGroupName("tree-a-leaf").parentGroupName("tree-a"));

        assertThat(names(iot().listThingGroups(b -> b.parentGroup("tree")).thingGroups())).containsExactly("tree-a", "tree-b");
        assertThat(names(iot().listThingGroups(b -> b.parentGroup("tree").recursive(true)).thingGroups()))
                .containsExactly("tree-a", "tree-a-leaf", "tree-b");
        assertThat(names(iot().listThingGroups(b -> b.namePrefixFilter("tree-a")).thingGroups())).containsExactly("tree-a", "tree-a-leaf");

        List<GroupNameAndArn> all = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            var page = iot().listThingGroups(b -> b.namePrefixFilter("tree").maxResults(1).nextToken(current));
            assertThat(page.thingGroups()).hasSizeLessThanOrEqualTo(1);
            all.addAll(page.thingGroups());
            token = page.nextToken();
        } while (token != null);
        assertThat(names(all)).containsExactly("tree", "tree-a", "tree-a-leaf", "tree-b");
        assertThat(all).allSatisfy(group -> assertThat(group.groupArn()).isEqualTo(groupArn(group.groupName())));
        assertThat(names(iot().listThingGroupsPaginator(ListThingGroupsRequest.builder().namePrefixFilter("tree").maxResults(3).build())
                .thingGroups().stream().toList())).containsExactly("tree", "tree-a", "tree-a-leaf", "tree-b");

        fails(InvalidRequestException.class, 400, "maxResults", () -> iot().listThingGroups(b -> b.maxResults(0)));
        fails(InvalidRequestException.class, 400, "nextToken", () -> iot().listThingGroups(b -> b.nextToken("bogus")));
        fails(ResourceNotFoundException.class, 404, "no-tree", () -> iot().listThingGroups(b -> b.parentGroup("no-tree")));
    }

    @Test
    void membershipIsAddedByNameOrArnListedBothWaysAndRemoved() {
        iot().createThingGroup(b -> b.thingGroupName("region"));
        iot().createThingGroup(b -> b.thingGroupName("region-store").parentGroupName("region"));
        iot().createThing(b -> b.thingName("till-1"));
        iot().createThing(b -> b.thingName("till-2"));

        iot().addThingToThingGroup(b -> b.thingGroupName("region-store").thingName("till-1"));
        iot().addThingToThingGroup(b -> b.thingGroupArn(groupArn("region-store")).thingArn(ApiTestNode.SCOPE.arn("thing", "till-2")));
        iot().addThingToThingGroup(b -> b.thingGroupName("region").thingName("till-1"));
        iot().addThingToThingGroup(b -> b.thingGroupName("region").thingName("till-1"));

        assertThat(iot().listThingsInThingGroup(b -> b.thingGroupName("region-store")).things()).containsExactly("till-1", "till-2");
        assertThat(iot().listThingsInThingGroup(b -> b.thingGroupName("region")).things()).containsExactly("till-1");
        assertThat(iot().listThingsInThingGroup(b -> b.thingGroupName("region").recursive(true)).things()).containsExactly("till-1", "till-2");
        assertThat(iot().listThingGroupsForThing(b -> b.thingName("till-1")).thingGroups())
                .containsExactlyInAnyOrder(GroupNameAndArn.builder().groupName("region").groupArn(groupArn("region")).build(),
                        GroupNameAndArn.builder().groupName("region-store").groupArn(groupArn("region-store")).build());

        ListThingsInThingGroupResponse first = iot().listThingsInThingGroup(b -> b.thingGroupName("region-store").maxResults(1));
        assertThat(first.things()).containsExactly("till-1");
        assertThat(iot().listThingsInThingGroup(b -> b.thingGroupName("region-store").maxResults(1).nextToken(first.nextToken())).things())
                .containsExactly("till-2");

        iot().removeThingFromThingGroup(b -> b.thingGroupName("region-store").thingArn(ApiTestNode.SCOPE.arn("thing", "till-1")));
        iot().removeThingFromThingGroup(b -> b.thingGroupName("region-store").thingName("till-1"));
        assertThat(iot().listThingsInThingGroup(b -> b.thingGroupName("region-store")).things()).containsExactly("till-2");
        assertThat(names(iot().listThingGroupsForThing(b -> b.thingName("till-1")).thingGroups())).containsExactly("region");
    }

    @Test
    void membershipFailuresAreModeledAndChangeNothing() {
        iot().createThingGroup(b -> b.thingGroupName("crew"));
        iot().createThing(b -> b.thingName("worker"));

        fails(ResourceNotFoundException.class, 404, "ghost-group", () -> iot().addThingToThingGroup(b -> b.thingGroupName("ghost-group").thingName("worker")));
        fails(ResourceNotFoundException.class, 404, "ghost-thing", () -> iot().addThingToThingGroup(b -> b.thingGroupName("crew").thingName("ghost-thing")));
        fails(InvalidRequestException.class, 400, "thingName", () -> iot().addThingToThingGroup(b -> b.thingGroupName("crew")));
        fails(InvalidRequestException.class, 400, "thingGroupArn",
                () -> iot().addThingToThingGroup(b -> b.thingGroupArn("arn:aws:iot:eu-west-1:111111111111:thinggroup/crew").thingName("worker")));
        fails(InvalidRequestException.class, 400, "different",
                () -> iot().addThingToThingGroup(b -> b.thingGroupName("crew").thingGroupArn(groupArn("other")).thingName("worker")));
        fails(InvalidRequestException.class, 400, "overrideDynamicGroups",
                () -> iot().addThingToThingGroup(b -> b.thingGroupName("crew").thingName("worker").overrideDynamicGroups(true)));
        fails(ResourceNotFoundException.class, 404, "ghost-group", () -> iot().listThingsInThingGroup(b -> b.thingGroupName("ghost-group")));
        fails(ResourceNotFoundException.class, 404, "ghost-thing", () -> iot().listThingGroupsForThing(b -> b.thingName("ghost-thing")));

        assertThat(iot().listThingsInThingGroup(b -> b.thingGroupName("crew")).things()).isEmpty();
        assertThat(iot().listThingGroupsForThing(b -> b.thingName("worker")).thingGroups()).isEmpty();
    }

    @Test
    void thingGroupTimestampsAreEpochSecondsOnTheWire() throws Exception {
        iot().createThingGroup(b -> b.thingGroupName("wire-group"));
        JsonNode described = AwsErrors.json(node.send("GET", "/thing-groups/wire-group", null));
        Instant created = AwsErrors.epochSeconds(described.path("thingGroupMetadata").path("creationDate"));
        assertThat(created).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        JsonNode updated = AwsErrors.json(node.send("PATCH", "/thing-groups/wire-group", "{\"thingGroupProperties\": {\"thingGroupDescription\": \"d\"}}"));
        assertThat(updated.path("version").isIntegralNumber()).isTrue();
    }

    private static List<String> names(List<GroupNameAndArn> groups) {
        return groups.stream().map(GroupNameAndArn::groupName).toList();
    }
}
