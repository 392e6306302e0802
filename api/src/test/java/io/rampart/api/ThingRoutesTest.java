package io.rampart.api;

import static io.rampart.api.AwsErrors.fails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Registry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.CreateThingResponse;
import software.amazon.awssdk.services.iot.model.CreateThingTypeResponse;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.DescribeThingTypeResponse;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.ListThingTypesResponse;
import software.amazon.awssdk.services.iot.model.ListThingsRequest;
import software.amazon.awssdk.services.iot.model.ListThingsResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ThingAttribute;
import software.amazon.awssdk.services.iot.model.ThingTypeDefinition;
import software.amazon.awssdk.services.iot.model.VersionConflictException;

/** Things, thing types and thing principals driven through the AWS SDK for Java v2, as an operator would. */
class ThingRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static IotClient iot() {
        return node.admin();
    }

    private static String arn(String type, String name) {
        return ApiTestNode.SCOPE.arn(type, name);
    }

    @Test
    void createThingAnswersNameArnAndIdAndDescribeThingShowsEveryMember() {
        iot().createThingType(b -> b.thingTypeName("lamp"));
        CreateThingResponse created = iot().createThing(b -> b.thingName("lamp-1").thingTypeName("lamp")
                .attributePayload(p -> p.attributes(Map.of("color", "red", "room", "kitchen"))));

        assertThat(created.thingName()).isEqualTo("lamp-1");
        assertThat(created.thingArn()).isEqualTo(arn("thing", "lamp-1"));
        assertThat(created.thingId()).isNotBlank();
        DescribeThingResponse described = iot().describeThing(b -> b.thingName("lamp-1"));
        assertThat(described.thingName()).isEqualTo("lamp-1");
        assertThat(described.defaultClientId()).isEqualTo("lamp-1");
        assertThat(described.thingId()).isEqualTo(created.thingId());
        assertThat(described.thingArn()).isEqualTo(created.thingArn());
        assertThat(described.thingTypeName()).isEqualTo("lamp");
        assertThat(described.attributes()).isEqualTo(Map.of("color", "red", "room", "kitchen"));
        assertThat(described.version()).isEqualTo(1L);
        assertThat(described.billingGroupName()).isNull();
    }

    @Test
    void createThingTwiceWithTheSameConfigurationReturnsTheSameThingButADifferentOneIsAlreadyExists() {
        CreateThingResponse first = iot().createThing(b -> b.thingName("twin").attributePayload(p -> p.attributes(Map.of("a", "1"))));
        CreateThingResponse again = iot().createThing(b -> b.thingName("twin").attributePayload(p -> p.attributes(Map.of("a", "1"))));
        assertThat(again.thingId()).isEqualTo(first.thingId());

        fails(ResourceAlreadyExistsException.class, 409, "twin",
                () -> iot().createThing(b -> b.thingName("twin").attributePayload(p -> p.attributes(Map.of("a", "2")))));
        assertThat(iot().describeThing(b -> b.thingName("twin")).attributes()).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void createThingRefusesUnknownTypesInvalidNamesAttributesAndBillingGroupsAndCreatesNothing() {
        fails(ResourceNotFoundException.class, 404, "no-such-type",
                () -> iot().createThing(b -> b.thingName("orphan").thingTypeName("no-such-type")));
        fails(InvalidRequestException.class, 400, "thingName",
                () -> iot().createThing(b -> b.thingName("has space!")));
        fails(InvalidRequestException.class, 400, "attribute",
                () -> iot().createThing(b -> b.thingName("orphan").attributePayload(p -> p.attributes(Map.of("bad name", "v")))));
        fails(InvalidRequestException.class, 400, "billingGroupName",
                () -> iot().createThing(b -> b.thingName("orphan").billingGroupName("finance")));
        fails(ResourceNotFoundException.class, 404, "orphan", () -> iot().describeThing(b -> b.thingName("orphan")));
    }

    @Test
    void malformedAndWronglyTypedBodiesAreInvalidRequestsNamingTheMember() throws Exception {
        HttpResponse<String> malformed = node.send("POST", "/things/broken", "{\"attributePayload\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(ApiTestNode.header(malformed, "x-amzn-ErrorType")).isEqualTo("InvalidRequestException");

        HttpResponse<String> wrongType = node.send("POST", "/things/broken", "{\"attributePayload\": {\"attributes\": {\"n\": 5}}}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(wrongType).path("message").asText()).contains("attributePayload.attributes.n");
        fails(ResourceNotFoundException.class, 404, "broken", () -> iot().describeThing(b -> b.thingName("broken")));
    }

    @Test
    void updateThingMergesOrReplacesAttributesChangesTheTypeAndCountsVersions() {
        iot().createThingType(b -> b.thingTypeName("meter"));
        iot().createThing(b -> b.thingName("meter-1").attributePayload(p -> p.attributes(Map.of("a", "1", "b", "2"))));

        iot().updateThing(b -> b.thingName("meter-1").attributePayload(p -> p.attributes(Map.of("b", "", "c", "3")).merge(true)));
        DescribeThingResponse merged = iot().describeThing(b -> b.thingName("meter-1"));
        assertThat(merged.attributes()).isEqualTo(Map.of("a", "1", "c", "3"));
        assertThat(merged.version()).isEqualTo(2L);

        iot().updateThing(b -> b.thingName("meter-1").thingTypeName("meter").expectedVersion(2L)
                .attributePayload(p -> p.attributes(Map.of("z", "9"))));
        DescribeThingResponse replaced = iot().describeThing(b -> b.thingName("meter-1"));
        assertThat(replaced.attributes()).isEqualTo(Map.of("z", "9"));
        assertThat(replaced.thingTypeName()).isEqualTo("meter");
        assertThat(replaced.version()).isEqualTo(3L);

        iot().updateThing(b -> b.thingName("meter-1").attributePayload(p -> p.merge(true)));
        assertThat(iot().describeThing(b -> b.thingName("meter-1")).attributes()).isEqualTo(Map.of("z", "9"));

        iot().updateThing(b -> b.thingName("meter-1").removeThingType(true));
        assertThat(iot().describeThing(b -> b.thingName("meter-1")).thingTypeName()).isNull();
    }

    @Test
    void updateThingWithAStaleExpectedVersionOrContradictoryMembersChangesNothing() {
        iot().createThing(b -> b.thingName("guarded").attributePayload(p -> p.attributes(Map.of("k", "v"))));
        DescribeThingResponse before = iot().describeThing(b -> b.thingName("guarded"));

        fails(VersionConflictException.class, 409, "version",
                () -> iot().updateThing(b -> b.thingName("guarded").expectedVersion(7L).attributePayload(p -> p.attributes(Map.of("k", "x")))));
        fails(InvalidRequestException.class, 400, "removeThingType",
                () -> iot().updateThing(b -> b.thingName("guarded").thingTypeName("t").removeThingType(true)));
        fails(ResourceNotFoundException.class, 404, "nobody",
                () -> iot().updateThing(b -> b.thingName("nobody").attributePayload(p -> p.attributes(Map.of("k", "x")))));
        fails(ResourceNotFoundException.class, 404, "no-type",
                () -> iot().updateThing(b -> b.thingName("guarded").thingTypeName("no-type")));

        assertThat(iot().describeThing(b -> b.thingName("guarded")).equalsBySdkFields(before)).isTrue();
    }

    @Test
    void deleteThingChecksExpectedVersionAndIsQuietForMissingThings() {
        iot().createThing(b -> b.thingName("doomed"));
        fails(VersionConflictException.class, 409, "version", () -> iot().deleteThing(b -> b.thingName("doomed").expectedVersion(5L)));
        assertThat(iot().describeThing(b -> b.thingName("doomed")).version()).isEqualTo(1L);

        iot().deleteThing(b -> b.thingName("doomed").expectedVersion(1L));
        fails(ResourceNotFoundException.class, 404, "doomed", () -> iot().describeThing(b -> b.thingName("doomed")));
        iot().deleteThing(b -> b.thingName("doomed"));
    }

    @Test
    void listThingsPagesThroughEveryMatchWithMaxResultsAndNextToken() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "paged-" + i;
            expected.add(name);
            iot().createThing(b -> b.thingName(name).attributePayload(p -> p.attributes(Map.of("batch", "p7"))));
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            ListThingsResponse page = iot().listThings(b -> b.attributeName("batch").attributeValue("p7").maxResults(3).nextToken(current));
            pageSizes.add(page.things().size());
            page.things().forEach(thing -> {
                assertThat(thing.thingArn()).isEqualTo(arn("thing", thing.thingName()));
                assertThat(thing.attributes()).containsEntry("batch", "p7");
                assertThat(thing.version()).isEqualTo(1L);
                seen.add(thing.thingName());
            });
            token = page.nextToken();
        } while (token != null);

        assertThat(pageSizes).containsExactly(3, 3, 1);
        assertThat(seen).containsExactlyElementsOf(expected);
        List<String> viaPaginator = iot().listThingsPaginator(ListThingsRequest.builder().attributeName("batch").attributeValue("p7")
                .maxResults(2).build()).things().stream().map(ThingAttribute::thingName).toList();
        assertThat(viaPaginator).containsExactlyElementsOf(expected);
    }

    @Test
    void listThingsFiltersByAttributePrefixAndType() {
        iot().createThingType(b -> b.thingTypeName("valve"));
        iot().createThing(b -> b.thingName("valve-a").thingTypeName("valve").attributePayload(p -> p.attributes(Map.of("site", "berlin-1"))));
        iot().createThing(b -> b.thingName("valve-b").thingTypeName("valve").attributePayload(p -> p.attributes(Map.of("site", "bern"))));
        iot().createThing(b -> b.thingName("pump-c").attributePayload(p -> p.attributes(Map.of("site", "berlin-2"))));

        assertThat(names(iot().listThings(b -> b.attributeName("site").attributeValue("bern")))).containsExactly("valve-b");
        assertThat(names(iot().listThings(b -> b.attributeName("site").attributeValue("berl").usePrefixAttributeValue(true))))
                .containsExactly("pump-c", "valve-a");
        ListThingsResponse typed = iot().listThings(b -> b.thingTypeName("valve"));
        assertThat(names(typed)).containsExactly("valve-a", "valve-b");
        assertThat(typed.things()).allSatisfy(thing -> assertThat(thing.thingTypeName()).isEqualTo("valve"));
    }

    @Test
    void listThingsRefusesBadPagingAndFilterParameters() {
        fails(InvalidRequestException.class, 400, "maxResults", () -> iot().listThings(b -> b.maxResults(0)));
        fails(InvalidRequestException.class, 400, "maxResults", () -> iot().listThings(b -> b.maxResults(251)));
        fails(InvalidRequestException.class, 400, "nextToken", () -> iot().listThings(b -> b.nextToken("not-a-token")));
        fails(InvalidRequestException.class, 400, "attributeName", () -> iot().listThings(b -> b.attributeValue("x")));
        fails(InvalidRequestException.class, 400, "usePrefixAttributeValue",
                () -> iot().listThings(b -> b.attributeName("site").usePrefixAttributeValue(true)));
    }

    @Test
    void listThingsRefusesQueryValuesOfTheWrongType() throws Exception {
        HttpResponse<String> notANumber = node.send("GET", "/things?maxResults=ten", null);
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(notANumber).path("message").asText()).contains("maxResults").contains("ten");
        HttpResponse<String> notABoolean = node.send("GET", "/things?attributeName=a&attributeValue=b&usePrefixAttributeValue=maybe", null);
        assertThat(notABoolean.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(notABoolean).path("message").asText()).contains("usePrefixAttributeValue");
        HttpResponse<String> badVersion = node.send("DELETE", "/things/anything?expectedVersion=latest", null);
        assertThat(badVersion.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(badVersion).path("message").asText()).contains("expectedVersion");
    }

    @Test
    void thingNamesWithColonsSurviveThePathEncoding() {
        CreateThingResponse created = iot().createThing(b -> b.thingName("factory:line_2-robot"));
        assertThat(created.thingArn()).isEqualTo(arn("thing", "factory:line_2-robot"));
        assertThat(iot().describeThing(b -> b.thingName("factory:line_2-robot")).thingName()).isEqualTo("factory:line_2-robot");
        iot().deleteThing(b -> b.thingName("factory:line_2-robot"));
        fails(ResourceNotFoundException.class, 404, "factory:line_2-robot", () -> iot().describeThing(b -> b.thingName("factory:line_2-robot")));
    }

    @Test
    void thingTypesAreCreatedDescribedListedDeprecatedAndRestored() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CreateThingTypeResponse created = iot().createThingType(b -> b.thingTypeName("camera")
                .thingTypeProperties(p -> p.thingTypeDescription("security camera").searchableAttributes("site", "floor")));
        assertThat(created.thingTypeName()).isEqualTo("camera");
        assertThat(created.thingTypeArn()).isEqualTo(arn("thingtype", "camera"));
        assertThat(created.thingTypeId()).isNotBlank();

        DescribeThingTypeResponse described = iot().describeThingType(b -> b.thingTypeName("camera"));
        assertThat(described.thingTypeName()).isEqualTo("camera");
        assertThat(described.thingTypeId()).isEqualTo(created.thingTypeId());
        assertThat(described.thingTypeArn()).isEqualTo(created.thingTypeArn());
        assertThat(described.thingTypeProperties().thingTypeDescription()).isEqualTo("security camera");
        assertThat(described.thingTypeProperties().searchableAttributes()).containsExactly("site", "floor");
        assertThat(described.thingTypeMetadata().deprecated()).isFalse();
        assertThat(described.thingTypeMetadata().deprecationDate()).isNull();
        assertThat(described.thingTypeMetadata().creationDate()).isBetween(before, Instant.now().plusSeconds(1));

        ListThingTypesResponse listed = iot().listThingTypes(b -> b.thingTypeName("camera"));
        assertThat(listed.thingTypes()).singleElement().satisfies(type -> {
            assertThat(type.thingTypeName()).isEqualTo("camera");
            assertThat(type.thingTypeArn()).isEqualTo(created.thingTypeArn());
            assertThat(type.thingTypeProperties()).isEqualTo(described.thingTypeProperties());
            assertThat(type.thingTypeMetadata()).isEqualTo(described.thingTypeMetadata());
        });

        iot().deprecateThingType(b -> b.thingTypeName("camera"));
        DescribeThingTypeResponse deprecated = iot().describeThingType(b -> b.thingTypeName("camera"));
        assertThat(deprecated.thingTypeMetadata().deprecated()).isTrue();
        assertThat(deprecated.thingTypeMetadata().deprecationDate()).isCloseTo(Instant.now(), within(60, ChronoUnit.SECONDS));
        fails(InvalidRequestException.class, 400, "camera", () -> iot().createThing(b -> b.thingName("cam-1").thingTypeName("camera")));
        fails(InvalidRequestException.class, 400, "camera", () -> iot().deleteThingType(b -> b.thingTypeName("camera")));
        fails(ResourceNotFoundException.class, 404, "cam-1", () -> iot().describeThing(b -> b.thingName("cam-1")));

        iot().deprecateThingType(b -> b.thingTypeName("camera").undoDeprecate(true));
        assertThat(iot().describeThingType(b -> b.thingTypeName("camera")).thingTypeMetadata().deprecated()).isFalse();
        iot().createThing(b -> b.thingName("cam-1").thingTypeName("camera"));
    }

    @Test
    void aThingTypeDeprecatedFiveMinutesAgoAndUnusedIsDeleted() {
        iot().createThingType(b -> b.thingTypeName("retired"));
        // AWS makes a deprecated type wait five minutes before deletion; the deprecation is back-dated through a
        // second registry on the same database whose clock runs six minutes behind, and the deletion goes through the API.
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6));
        Registry.open(node.database(), node.ca(), new PolicyEngine(ApiTestNode.SCOPE, past), ApiTestNode.SCOPE, past)
                .thingTypes().deprecate("retired", false);

        iot().deleteThingType(b -> b.thingTypeName("retired"));
        fails(ResourceNotFoundException.class, 404, "retired", () -> iot().describeThingType(b -> b.thingTypeName("retired")));
        fails(ResourceNotFoundException.class, 404, "retired", () -> iot().deleteThingType(b -> b.thingTypeName("retired")));
    }

    @Test
    void thingTypeFailuresAreModeledAndChangeNothing() {
        iot().createThingType(b -> b.thingTypeName("speaker").thingTypeProperties(p -> p.thingTypeDescription("first")));
        fails(ResourceAlreadyExistsException.class, 409, "speaker",
                () -> iot().createThingType(b -> b.thingTypeName("speaker").thingTypeProperties(p -> p.thingTypeDescription("second"))));
        fails(InvalidRequestException.class, 400, "tags",
                () -> iot().createThingType(b -> b.thingTypeName("tagged").tags(t -> t.key("k").value("v"))));
        fails(InvalidRequestException.class, 400, "searchable",
                () -> iot().createThingType(b -> b.thingTypeName("wide").thingTypeProperties(p -> p.searchableAttributes("a", "b", "c", "d"))));
        fails(InvalidRequestException.class, 400, "speaker", () -> iot().deleteThingType(b -> b.thingTypeName("speaker")));
        fails(ResourceNotFoundException.class, 404, "ghost", () -> iot().describeThingType(b -> b.thingTypeName("ghost")));
        fails(ResourceNotFoundException.class, 404, "ghost", () -> iot().deprecateThingType(b -> b.thingTypeName("ghost")));

        assertThat(iot().describeThingType(b -> b.thingTypeName("speaker")).thingTypeProperties().thingTypeDescription()).isEqualTo("first");
        assertThat(iot().listThingTypes(b -> b.thingTypeName("tagged")).thingTypes()).isEmpty();
        assertThat(iot().listThingTypes(b -> b.thingTypeName("wide")).thingTypes()).isEmpty();
    }

    @Test
    void listThingTypesPagesToTheEnd() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            iot().createThingType(b -> b.thingTypeName("zz-type-" + n));
        }
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            ListThingTypesResponse page = iot().listThingTypes(b -> b.maxResults(2).nextToken(current));
            assertThat(page.thingTypes().size()).isLessThanOrEqualTo(2);
            page.thingTypes().stream().map(ThingTypeDefinition::thingTypeName).forEach(names::add);
            token = page.nextToken();
        } while (token != null);
        assertThat(names).doesNotHaveDuplicates().isSorted()
                .containsSubsequence("zz-type-0", "zz-type-1", "zz-type-2", "zz-type-3", "zz-type-4");
        fails(InvalidRequestException.class, 400, "nextToken", () -> iot().listThingTypes(b -> b.nextToken("garbage")));
    }

    @Test
    void thingPrincipalsAreAttachedListedBothWaysAndDetached() {
        iot().createThing(b -> b.thingName("device-1"));
        CreateKeysAndCertificateResponse cert = iot().createKeysAndCertificate(b -> b.setAsActive(true));

        iot().attachThingPrincipal(b -> b.thingName("device-1").principal(cert.certificateArn()));
        iot().attachThingPrincipal(b -> b.thingName("device-1").principal(cert.certificateArn()));
        assertThat(iot().listThingPrincipals(b -> b.thingName("device-1")).principals()).containsExactly(cert.certificateArn());
        assertThat(iot().listPrincipalThings(b -> b.principal(cert.certificateArn())).things()).containsExactly("device-1");

        iot().detachThingPrincipal(b -> b.thingName("device-1").principal(cert.certificateArn()));
        assertThat(iot().listThingPrincipals(b -> b.thingName("device-1")).principals()).isEmpty();
        assertThat(iot().listPrincipalThings(b -> b.principal(cert.certificateArn())).things()).isEmpty();
    }

    @Test
    void thingPrincipalFailuresAreModeledAndAttachNothing() throws Exception {
        iot().createThing(b -> b.thingName("device-2"));
        CreateKeysAndCertificateResponse cert = iot().createKeysAndCertificate(b -> b.setAsActive(true));
        String unknownCert = arn("cert", "ab".repeat(32));

        fails(ResourceNotFoundException.class, 404, "nothing-here",
                () -> iot().attachThingPrincipal(b -> b.thingName("nothing-here").principal(cert.certificateArn())));
        fails(ResourceNotFoundException.class, 404, "abab",
                () -> iot().attachThingPrincipal(b -> b.thingName("device-2").principal(unknownCert)));
        fails(InvalidRequestException.class, 400, "EXCLUSIVE_THING",
                () -> iot().attachThingPrincipal(b -> b.thingName("device-2").principal(cert.certificateArn()).thingPrincipalType("EXCLUSIVE_THING")));
        fails(InvalidRequestException.class, 400, "thingPrincipalType",
                () -> iot().attachThingPrincipal(b -> b.thingName("device-2").principal(cert.certificateArn()).thingPrincipalType("SOMETIMES")));
        HttpResponse<String> noHeader = node.send("PUT", "/things/device-2/principals", null);
        assertThat(noHeader.statusCode()).isEqualTo(400);
        assertThat(AwsErrors.json(noHeader).path("message").asText()).contains("x-amzn-principal");

        assertThat(iot().listThingPrincipals(b -> b.thingName("device-2")).principals()).isEmpty();
        assertThat(iot().listPrincipalThings(b -> b.principal(cert.certificateArn())).things()).isEmpty();
        fails(ResourceNotFoundException.class, 404, "nothing-here", () -> iot().listThingPrincipals(b -> b.thingName("nothing-here")));
        fails(InvalidRequestException.class, 400, "maxResults", () -> iot().listThingPrincipals(b -> b.thingName("device-2").maxResults(0)));
    }

    @Test
    void thingPrincipalListsPageToTheEndInBothDirections() {
        iot().createThing(b -> b.thingName("hub"));
        List<String> certs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String cert = iot().createKeysAndCertificate(b -> b.setAsActive(true)).certificateArn();
            certs.add(cert);
            iot().attachThingPrincipal(b -> b.thingName("hub").principal(cert));
        }
        List<String> principals = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            var page = iot().listThingPrincipals(b -> b.thingName("hub").maxResults(2).nextToken(current));
            assertThat(page.principals()).hasSizeLessThanOrEqualTo(2);
            principals.addAll(page.principals());
            token = page.nextToken();
        } while (token != null);
        assertThat(principals).containsExactlyInAnyOrderElementsOf(certs);

        String shared = certs.getFirst();
        for (int i = 0; i < 3; i++) {
            int n = i;
            iot().createThing(b -> b.thingName("spoke-" + n));
            iot().attachThingPrincipal(b -> b.thingName("spoke-" + n).principal(shared));
        }
        List<String> things = new ArrayList<>();
        token = null;
        do {
            String current = token;
            var page = iot().listPrincipalThings(b -> b.principal(shared).maxResults(1).nextToken(current));
            assertThat(page.things()).hasSizeLessThanOrEqualTo(1);
            things.addAll(page.things());
            token = page.nextToken();
        } while (token != null);
        assertThat(things).containsExactlyInAnyOrder("hub", "spoke-0", "spoke-1", "spoke-2");
        fails(InvalidRequestException.class, 400, "nextToken", () -> iot().listPrincipalThings(b -> b.principal(shared).nextToken("nope")));
    }

    @Test
    void readOnlyKeysDescribeAndListThingsButCannotChangeThem() {
        iot().createThing(b -> b.thingName("watched"));
        assertThat(node.readOnly().describeThing(b -> b.thingName("watched")).thingName()).isEqualTo("watched");
        assertThat(node.readOnly().listThings(b -> b.thingTypeName("none-such-type")).things()).isEmpty();

        fails(IotException.class, 403, "read-only",
                () -> node.readOnly().createThing(b -> b.thingName("sneaky")));
        fails(IotException.class, 403, "read-only",
                () -> node.readOnly().deleteThing(b -> b.thingName("watched")));
        fails(ResourceNotFoundException.class, 404, "sneaky", () -> iot().describeThing(b -> b.thingName("sneaky")));
        assertThat(iot().describeThing(b -> b.thingName("watched")).thingName()).isEqualTo("watched");
    }

    @Test
    void thingMembersOnTheWireAreExactlyTheAwsOnes() throws Exception {
        iot().createThing(b -> b.thingName("wire-1").attributePayload(p -> p.attributes(Map.of("k", "v"))));
        JsonNode described = AwsErrors.json(node.send("GET", "/things/wire-1", null));
        assertThat(iterable(described.fieldNames()))
                .containsExactlyInAnyOrder("defaultClientId", "thingName", "thingId", "thingArn", "attributes", "version");
        JsonNode type = AwsErrors.json(node.send("POST", "/thing-types/wire-type", "{}"));
        assertThat(iterable(type.fieldNames())).containsExactlyInAnyOrder("thingTypeName", "thingTypeArn", "thingTypeId");
        JsonNode typeDescription = AwsErrors.json(node.send("GET", "/thing-types/wire-type", null));
        AwsErrors.epochSeconds(typeDescription.path("thingTypeMetadata").path("creationDate"));
    }

    private static List<String> names(ListThingsResponse response) {
        return response.things().stream().map(ThingAttribute::thingName).sorted().toList();
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
