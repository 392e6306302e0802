package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How request lines find their route. */
class RouteTableTest {
    private static Route route(String method, String template, String operation) {
        return Route.read(method, template, operation, request -> ApiResponse.empty());
    }

    private final RouteTable table = new RouteTable(List.of(
            route("GET", "/thing-groups/{thingGroupName}", "DescribeThingGroup"),
            route("PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup"),
            route("GET", "/things/{thingName}", "DescribeThing"),
            route("GET", "/things/{thingName}/principals", "ListThingPrincipals"),
            route("POST", "/topics/{topic+}", "Publish")));

    private String operation(String method, String path) {
        return switch (table.match(method, path)) {
            case RouteTable.Match.Found found -> found.route().operation();
            case RouteTable.Match.WrongMethod wrong -> "405 " + wrong.allowed();
            case RouteTable.Match.NotFound notFound -> "404";
        };
    }

    private Map<String, String> params(String method, String path) {
        return ((RouteTable.Match.Found) table.match(method, path)).pathParams();
    }

    @Test
    void literalSegmentBeatsAParameterButOnlyForItsMethod() {
        assertThat(operation("PUT", "/thing-groups/addThingToThingGroup")).isEqualTo("AddThingToThingGroup");
        assertThat(operation("GET", "/thing-groups/addThingToThingGroup")).isEqualTo("DescribeThingGroup");
        assertThat(params("GET", "/thing-groups/addThingToThingGroup")).containsEntry("thingGroupName", "addThingToThingGroup");
    }

    @Test
    void parametersArePercentDecodedOneSegmentAtATime() {
        assertThat(params("GET", "/things/a%2Fb%20c")).containsExactly(Map.entry("thingName", "a/b c"));
        assertThat(params("GET", "/things/caf%C3%A9")).containsEntry("thingName", "café");
        assertThat(params("GET", "/things/a+b")).containsEntry("thingName", "a+b");
        assertThat(operation("GET", "/things/a/principals")).isEqualTo("ListThingPrincipals");
    }

    @Test
    void greedyParameterTakesTheRestOfThePath() {
        assertThat(params("POST", "/topics/a/b/%24c")).containsEntry("topic", "a/b/$c");
        assertThat(operation("POST", "/topics/")).isEqualTo("404");
    }

    @Test
    void emptySegmentsAndExtraSegmentsDoNotMatch() {
        assertThat(operation("GET", "/things/")).isEqualTo("404");
        assertThat(operation("GET", "/things/a/b")).isEqualTo("404");
        assertThat(operation("GET", "/nothing")).isEqualTo("404");
    }

    @Test
    void knownPathWithAnotherMethodListsTheAllowedMethods() {
        assertThat(operation("DELETE", "/things/lamp")).isEqualTo("405 [GET]");
    }

    @Test
    void badPercentEncodingIsAClientError() {
        assertThatThrownBy(() -> table.match("GET", "/things/a%zz"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
        assertThatThrownBy(() -> table.match("GET", "/things/%C3"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
    }

    @Test
    void twoRoutesAnsweringTheSameRequestAreRefusedAtStartUp() {
        assertThatThrownBy(() -> new RouteTable(List.of(route("GET", "/things/{a}", "One"), route("GET", "/things/{b}", "Two"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("One").hasMessageContaining("Two");
    }
}
