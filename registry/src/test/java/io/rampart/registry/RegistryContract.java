package io.rampart.registry;

import io.rampart.store.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.AwsScope;
import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.CertificateId;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.Pem;
import io.rampart.policy.PolicyEngine;
import io.rampart.store.Database;
import io.rampart.store.TestDatabase;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The registry's behaviour, written once and run on SQLite and PostgreSQL: every operation, its failure paths,
 * pagination, concurrency and persistence across a restart. Each test starts from empty tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryContract {
    static final AwsScope SCOPE = new AwsScope("eu-west-1", "123456789012");
    static final String ALLOW_PUBLISH = policy("Allow", "iot:Publish", SCOPE.arn("topic", "a/*"));
    static final String DENY_PUBLISH_SECRET = policy("Deny", "iot:Publish", SCOPE.arn("topic", "a/secret"));
    static final String ALLOW_OWN_TOPIC = policy("Allow", "iot:Publish",
            SCOPE.arn("topic", "things/${iot:Connection.Thing.ThingName}/*"));

    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private TestDatabase testDb;
    private CertificateAuthority builtInCa;
    private CertificateAuthority externalCa;
    private Registry registry;

    @BeforeAll
    void openRegistry(TestDatabase testDb) {
        this.testDb = testDb;
        builtInCa = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Rampart Test Root", clock, random);
        externalCa = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Operator CA", clock, random);
        registry = open(testDb.database());
    }

    private Registry open(Database db) {
        return Registry.open(db, builtInCa, new PolicyEngine(SCOPE, clock), SCOPE, clock, RegistryLimits.defaults(),
                KeyAlgorithm.EC_P256, random);
    }

    @BeforeEach
    void emptyTables() {
        testDb.database().inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : List.of("reg_thing_principals", "reg_policy_attachments", "reg_thing_group_members",
                        "reg_thing_attributes", "reg_things", "reg_thing_types", "reg_thing_groups", "reg_policy_versions",
                        "reg_policies", "reg_certificates", "reg_crl_entries", "reg_ca_certificates", "reg_settings")) {
                    s.executeUpdate("DELETE FROM " + table);
                }
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ things

    @Test
    void createdThingDescribesWithArnIdVersionAndAttributes() {
        Thing created = registry.things().create("lamp-1", null, Map.of("room", "kitchen"));
        Thing described = registry.things().describe("lamp-1");
        assertThat(described).isEqualTo(created);
        assertThat(described.arn()).isEqualTo("arn:aws:iot:eu-west-1:123456789012:thing/lamp-1");
        assertThat(described.id()).isNotBlank();
        assertThat(described.version()).isEqualTo(1);
        assertThat(described.defaultClientId()).isEqualTo("lamp-1");
        assertThat(described.attributes()).containsExactly(Map.entry("room", "kitchen"));
        assertThat(described.creationDate()).isEqualTo(clock.instant());
    }

    @Test
    void creatingTheSameThingAgainReturnsItButADifferentConfigurationConflicts() {
        Thing first = registry.things().create("lamp-1", null, Map.of("room", "kitchen"));
        assertThat(registry.things().create("lamp-1", null, Map.of("room", "kitchen"))).isEqualTo(first);
        expectError(ErrorType.RESOURCE_ALREADY_EXISTS, () -> registry.things().create("lamp-1", null, Map.of("room", "hall")));
    }

    @Test
    void thingNamesAndAttributesFollowAwsPatternsAndLimits() {
        for (String bad : new String[] {"", "a/b", "has space", "x".repeat(129), "ünïcode"}) {
            expectError(ErrorType.INVALID_REQUEST, () -> registry.things().create(bad, null, Map.of()));
        }
        registry.things().create("x".repeat(128), null, Map.of());
        registry.things().create("ok:name_with-chars", null, Map.of());
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().create("t1", null, Map.of("bad name", "v")));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().create("t1", null, Map.of("k", "bad value!")));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().create("t1", null, Map.of("k", "v".repeat(801))));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().create("t1", null,
                Map.of("a", "1", "b", "2", "c", "3", "d", "4")));
        registry.thingTypes().create("sensor", null, List.of());
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            many.put("attr" + i, "v");
        }
        assertThat(registry.things().create("typed", "sensor", many).attributes()).hasSize(50);
        many.put("one-more", "v");
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().create("typed-2", "sensor", many));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.things().describe("t1"));
    }

    @Test
    void thingsNeedAnExistingNonDeprecatedType() {
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.things().create("t1", "no-such-type", Map.of()));
        registry.thingTypes().create("old", null, List.of());
        registry.thingTypes().deprecate("old", false);
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().create("t1", "old", Map.of()));
        registry.thingTypes().deprecate("old", true);
        assertThat(registry.things().create("t1", "old", Map.of()).thingTypeName()).isEqualTo("old");
    }

    @Test
    void describingAnUnknownThingIsNotFound() {
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.things().describe("ghost"));
    }

    @Test
    void updateMergesOrReplacesAttributesAndBumpsTheVersion() {
        registry.things().create("t1", null, Map.of("a", "1", "b", "2"));
        Thing merged = registry.things().update("t1", ThingUpdate.attributes(Map.of("b", "", "c", "3"), true));
        assertThat(merged.attributes()).containsOnly(Map.entry("a", "1"), Map.entry("c", "3"));
        assertThat(merged.version()).isEqualTo(2);
        Thing replaced = registry.things().update("t1", ThingUpdate.attributes(Map.of("z", "9"), false));
        assertThat(replaced.attributes()).containsOnly(Map.entry("z", "9"));
        assertThat(registry.things().describe("t1")).isEqualTo(replaced);
        assertThat(replaced.version()).isEqualTo(3);
        assertThat(registry.things().list(new ThingFilter("a", null, null, false), Page.Request.first(10)).items()).isEmpty();
        assertThat(registry.things().list(new ThingFilter("z", "9", null, false), Page.Request.first(10)).items())
                .extracting(Thing::name).containsExactly("t1");
    }

    @Test
    void updateWithAStaleExpectedVersionConflictsAndChangesNothing() {
        registry.things().create("t1", null, Map.of("a", "1"));
        registry.things().update("t1", new ThingUpdate(null, false, Map.of("a", "2"), true, 1L));
        expectError(ErrorType.VERSION_CONFLICT, () -> registry.things().update("t1",
                new ThingUpdate(null, false, Map.of("a", "3"), true, 1L)));
        assertThat(registry.things().describe("t1").attributes()).containsEntry("a", "2");
        assertThat(registry.things().describe("t1").version()).isEqualTo(2);
    }

    @Test
    void updateSetsAndRemovesTheThingType() {
        registry.thingTypes().create("sensor", null, List.of());
        registry.things().create("t1", null, Map.of());
        assertThat(registry.things().update("t1", new ThingUpdate("sensor", false, null, false, null)).thingTypeName()).isEqualTo("sensor");
        assertThat(registry.things().update("t1", new ThingUpdate(null, true, null, false, null)).thingTypeName()).isNull();
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().update("t1", new ThingUpdate("sensor", true, null, false, null)));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.things().update("t1", new ThingUpdate("nope", false, null, false, null)));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.things().update("ghost", ThingUpdate.attributes(Map.of(), true)));
    }

    @Test
    void removingTheTypeOfAThingWithManyAttributesIsRefused() {
        registry.thingTypes().create("sensor", null, List.of());
        registry.things().create("t1", "sensor", Map.of("a", "1", "b", "2", "c", "3", "d", "4"));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().update("t1", new ThingUpdate(null, true, null, false, null)));
        assertThat(registry.things().describe("t1").thingTypeName()).isEqualTo("sensor");
    }

    @Test
    void deleteIsIdempotentChecksTheVersionAndRefusesAttachedThings() {
        registry.things().delete("never-existed", null);
        registry.things().create("t1", null, Map.of());
        expectError(ErrorType.VERSION_CONFLICT, () -> registry.things().delete("t1", 7L));
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.attachments().attachThingPrincipal("t1", cert.arn());
        assertThatThrownBy(() -> registry.things().delete("t1", null))
                .hasMessageContaining("still attached to one or more principals");
        registry.attachments().detachThingPrincipal("t1", cert.arn());
        registry.things().delete("t1", 1L);
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.things().describe("t1"));
    }

    @Test
    void listThingsFiltersByTypeAttributeAndValuePrefix() {
        registry.thingTypes().create("sensor", null, List.of());
        registry.things().create("a1", "sensor", Map.of("floor", "1", "room", "kitchen"));
        registry.things().create("a2", null, Map.of("floor", "12"));
        registry.things().create("a3", "sensor", Map.of("floor", "2"));
        registry.things().create("a4", null, Map.of());
        Function<ThingFilter, List<String>> names = filter -> registry.things().list(filter, Page.Request.first(50))
                .items().stream().map(Thing::name).toList();
        assertThat(names.apply(ThingFilter.all())).containsExactly("a1", "a2", "a3", "a4");
        assertThat(names.apply(new ThingFilter(null, null, "sensor", false))).containsExactly("a1", "a3");
        assertThat(names.apply(new ThingFilter("floor", null, null, false))).containsExactly("a1", "a2", "a3");
        assertThat(names.apply(new ThingFilter("floor", "1", null, false))).containsExactly("a1");
        assertThat(names.apply(new ThingFilter("floor", "1", null, true))).containsExactly("a1", "a2");
        assertThat(names.apply(new ThingFilter("floor", "1", "sensor", true))).containsExactly("a1");
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().list(new ThingFilter(null, "1", null, false), Page.Request.first(5)));
    }

    @Test
    void listThingsPagesThroughEveryThingOnceInNameOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String name = String.format("thing-%02d", i);
            registry.things().create(name, null, Map.of());
            expected.add(name);
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            Page<Thing> page = registry.things().list(ThingFilter.all(), new Page.Request(4, token));
            page.items().forEach(t -> seen.add(t.name()));
            pageSizes.add(page.items().size());
            token = page.nextToken();
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pageSizes).containsExactly(4, 4, 3);
    }

    @Test
    void aForgedOrForeignNextTokenIsAnInvalidRequest() {
        registry.things().create("a", null, Map.of());
        registry.things().create("b", null, Map.of());
        registry.policies().create("p1", ALLOW_PUBLISH);
        registry.policies().create("p2", ALLOW_PUBLISH);
        String policyToken = registry.policies().list(Page.Request.first(1)).nextToken();
        assertThat(policyToken).isNotNull();
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().list(ThingFilter.all(), new Page.Request(1, policyToken)));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().list(ThingFilter.all(), new Page.Request(1, "not*base64")));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.things().list(ThingFilter.all(), new Page.Request(1, "AAAA")));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.certificates().list(new Page.Request(1, "Y2VydHMtYXNjCnh4CnFx"), true));
    }

    // ------------------------------------------------------------------ thing types

    @Test
    void thingTypesAreCreatedDescribedAndListed() {
        ThingType created = registry.thingTypes().create("sensor", "A sensor", List.of("floor", "room"));
        assertThat(registry.thingTypes().describe("sensor")).isEqualTo(created);
        assertThat(created.arn()).isEqualTo(SCOPE.arn("thingtype", "sensor"));
        assertThat(created.deprecated()).isFalse();
        assertThat(created.deprecationDate()).isNull();
        registry.thingTypes().create("actuator", null, null);
        assertThat(registry.thingTypes().list(null, Page.Request.first(10)).items()).extracting(ThingType::name)
                .containsExactly("actuator", "sensor");
        assertThat(registry.thingTypes().list("sensor", Page.Request.first(10)).items()).extracting(ThingType::name)
                .containsExactly("sensor");
        Page<ThingType> first = registry.thingTypes().list(null, Page.Request.first(1));
        assertThat(registry.thingTypes().list(null, new Page.Request(1, first.nextToken())).items())
                .extracting(ThingType::name).containsExactly("sensor");
        expectError(ErrorType.RESOURCE_ALREADY_EXISTS, () -> registry.thingTypes().create("sensor", null, List.of()));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingTypes().create("too-many", null, List.of("a", "b", "c", "d")));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingTypes().create("bad/name", null, List.of()));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingTypes().create("tabbed", "a\tb", List.of()));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingTypes().describe("ghost"));
    }

    @Test
    void aThingTypeIsDeletedOnlyFiveMinutesAfterDeprecationAndWhenNoThingUsesIt() {
        registry.thingTypes().create("old", null, List.of());
        registry.things().create("t1", "old", Map.of());
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingTypes().delete("old"));
        ThingType deprecated = registry.thingTypes().deprecate("old", false);
        assertThat(deprecated.deprecated()).isTrue();
        assertThat(deprecated.deprecationDate()).isEqualTo(clock.instant());
        assertThat(registry.thingTypes().describe("old").deprecated()).isTrue();
        clock.advance(Duration.ofMinutes(4));
        assertThatThrownBy(() -> registry.thingTypes().delete("old")).hasMessageContaining("five minutes");
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> registry.thingTypes().delete("old")).hasMessageContaining("still used by 1 thing");
        registry.things().update("t1", new ThingUpdate(null, true, null, false, null));
        registry.thingTypes().delete("old");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingTypes().describe("old"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingTypes().delete("old"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingTypes().deprecate("old", false));
    }

    @Test
    void undoingADeprecationClearsTheDate() {
        registry.thingTypes().create("t", null, List.of());
        registry.thingTypes().deprecate("t", false);
        ThingType restored = registry.thingTypes().deprecate("t", true);
        assertThat(restored.deprecated()).isFalse();
        assertThat(restored.deprecationDate()).isNull();
        assertThat(registry.thingTypes().describe("t")).isEqualTo(restored);
    }

    // ------------------------------------------------------------------ thing groups

    @Test
    void nestedGroupsReportTheirParentAndRootToParentChain() {
        registry.thingGroups().create("site", null, "The site", Map.of("city", "Lyon"));
        registry.thingGroups().create("floor-1", "site", null, Map.of());
        ThingGroup room = registry.thingGroups().create("room-101", "floor-1", null, Map.of());
        ThingGroup described = registry.thingGroups().describe("room-101");
        assertThat(described).isEqualTo(room);
        assertThat(described.parentGroupName()).isEqualTo("floor-1");
        assertThat(described.rootToParentThingGroups()).containsExactly(
                new GroupRef("site", SCOPE.arn("thinggroup", "site")), new GroupRef("floor-1", SCOPE.arn("thinggroup", "floor-1")));
        ThingGroup site = registry.thingGroups().describe("site");
        assertThat(site.parentGroupName()).isNull();
        assertThat(site.rootToParentThingGroups()).isEmpty();
        assertThat(site.description()).isEqualTo("The site");
        assertThat(site.attributes()).containsEntry("city", "Lyon");
        assertThat(site.version()).isEqualTo(1);
    }

    @Test
    void groupCreationIsIdempotentForTheSameConfigurationAndChecksTheParentAndDepth() {
        ThingGroup g = registry.thingGroups().create("g", null, "d", Map.of());
        assertThat(registry.thingGroups().create("g", null, "d", Map.of())).isEqualTo(g);
        expectError(ErrorType.RESOURCE_ALREADY_EXISTS, () -> registry.thingGroups().create("g", null, "other", Map.of()));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingGroups().create("orphan", "no-parent", null, Map.of()));
        String parent = "g";
        for (int level = 2; level <= ThingGroups.MAX_DEPTH; level++) {
            registry.thingGroups().create("level-" + level, parent, null, Map.of());
            parent = "level-" + level;
        }
        String deepest = parent;
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingGroups().create("too-deep", deepest, null, Map.of()));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingGroups().create("bad name", null, null, Map.of()));
    }

    @Test
    void groupUpdateChecksTheExpectedVersion() {
        registry.thingGroups().create("g", null, "d", Map.of("a", "1"));
        ThingGroup updated = registry.thingGroups().update("g", "new", Map.of("b", "2"), true, 1L);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.attributes()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(updated.description()).isEqualTo("new");
        expectError(ErrorType.VERSION_CONFLICT, () -> registry.thingGroups().update("g", null, Map.of(), true, 1L));
        assertThat(registry.thingGroups().update("g", null, Map.of("c", "3"), false, null).attributes()).containsOnly(Map.entry("c", "3"));
        assertThat(registry.thingGroups().describe("g").description()).isEqualTo("new");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingGroups().update("ghost", null, null, false, null));
    }

    @Test
    void aGroupWithChildrenCannotBeDeletedAndDeletingRemovesMembershipsAndPolicies() {
        registry.thingGroups().create("parent", null, null, Map.of());
        registry.thingGroups().create("child", "parent", null, Map.of());
        registry.things().create("t1", null, Map.of());
        registry.thingGroups().addThing("child", "t1");
        registry.policies().create("p", ALLOW_PUBLISH);
        registry.attachments().attachPolicy("p", SCOPE.arn("thinggroup", "child"));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingGroups().delete("parent", null));
        expectError(ErrorType.VERSION_CONFLICT, () -> registry.thingGroups().delete("child", 5L));
        registry.thingGroups().delete("child", 1L);
        registry.thingGroups().delete("child", null);
        registry.thingGroups().delete("parent", null);
        assertThat(registry.thingGroups().listGroupsForThing("t1", Page.Request.first(10)).items()).isEmpty();
        assertThat(registry.attachments().listTargetsForPolicy("p", Page.Request.first(10)).items()).isEmpty();
        registry.policies().delete("p");
    }

    @Test
    void listGroupsByParentRecursionAndNamePrefix() {
        registry.thingGroups().create("a", null, null, Map.of());
        registry.thingGroups().create("a-1", "a", null, Map.of());
        registry.thingGroups().create("a-1-x", "a-1", null, Map.of());
        registry.thingGroups().create("b", null, null, Map.of());
        Function<ThingGroupFilter, List<String>> names = filter -> registry.thingGroups().list(filter, Page.Request.first(50))
                .items().stream().map(GroupRef::groupName).toList();
        assertThat(names.apply(ThingGroupFilter.all())).containsExactly("a", "a-1", "a-1-x", "b");
        assertThat(names.apply(new ThingGroupFilter(null, null, false))).containsExactly("a", "b");
        assertThat(names.apply(new ThingGroupFilter("a", null, false))).containsExactly("a-1");
        assertThat(names.apply(new ThingGroupFilter("a", null, true))).containsExactly("a-1", "a-1-x");
        assertThat(names.apply(new ThingGroupFilter(null, "a-", true))).containsExactly("a-1", "a-1-x");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingGroups().list(new ThingGroupFilter("ghost", null, false), Page.Request.first(5)));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.thingGroups().list(new ThingGroupFilter(null, "a/", true), Page.Request.first(5)));
        Page<GroupRef> first = registry.thingGroups().list(ThingGroupFilter.all(), Page.Request.first(3));
        assertThat(registry.thingGroups().list(ThingGroupFilter.all(), new Page.Request(3, first.nextToken())).items())
                .extracting(GroupRef::groupName).containsExactly("b");
    }

    @Test
    void membershipIsListedBothWaysAndRecursively() {
        registry.thingGroups().create("site", null, null, Map.of());
        registry.thingGroups().create("floor", "site", null, Map.of());
        for (String t : List.of("t1", "t2", "t3")) {
            registry.things().create(t, null, Map.of());
        }
        registry.thingGroups().addThing("site", "t1");
        registry.thingGroups().addThing("floor", "t2");
        registry.thingGroups().addThing("floor", "t3");
        registry.thingGroups().addThing("floor", "t3");
        registry.thingGroups().addThing("site", "t3");
        assertThat(registry.thingGroups().listThings("site", false, Page.Request.first(10)).items()).containsExactly("t1", "t3");
        assertThat(registry.thingGroups().listThings("site", true, Page.Request.first(10)).items()).containsExactly("t1", "t2", "t3");
        Page<String> page = registry.thingGroups().listThings("site", true, Page.Request.first(2));
        assertThat(page.items()).containsExactly("t1", "t2");
        assertThat(registry.thingGroups().listThings("site", true, new Page.Request(2, page.nextToken())).items()).containsExactly("t3");
        assertThat(registry.thingGroups().listGroupsForThing("t3", Page.Request.first(10)).items()).extracting(GroupRef::groupName)
                .containsExactly("floor", "site");
        registry.thingGroups().removeThing("site", "t3");
        registry.thingGroups().removeThing("site", "t3");
        assertThat(registry.thingGroups().listGroupsForThing("t3", Page.Request.first(10)).items()).extracting(GroupRef::groupName)
                .containsExactly("floor");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingGroups().addThing("ghost", "t1"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingGroups().addThing("site", "ghost"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingGroups().listThings("ghost", false, Page.Request.first(5)));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.thingGroups().listGroupsForThing("ghost", Page.Request.first(5)));
        registry.things().delete("t2", null);
        assertThat(registry.thingGroups().listThings("floor", false, Page.Request.first(10)).items()).containsExactly("t3");
    }

    @Test
    void aThingBelongsToAtMostTenGroups() {
        registry.things().create("t", null, Map.of());
        for (int i = 0; i < ThingGroups.MAX_GROUPS_PER_THING; i++) {
            registry.thingGroups().create("g" + i, null, null, Map.of());
            registry.thingGroups().addThing("g" + i, "t");
        }
        registry.thingGroups().create("one-too-many", null, null, Map.of());
        expectError(ErrorType.LIMIT_EXCEEDED, () -> registry.thingGroups().addThing("one-too-many", "t"));
        registry.thingGroups().addThing("g0", "t");
    }

    // ------------------------------------------------------------------ policies

    @Test
    void createdPolicyHasVersionOneAsDefault() {
        PolicyVersion v1 = registry.policies().create("p", ALLOW_PUBLISH);
        assertThat(v1.versionId()).isEqualTo("1");
        assertThat(v1.isDefaultVersion()).isTrue();
        assertThat(v1.policyArn()).isEqualTo(SCOPE.arn("policy", "p"));
        Policy p = registry.policies().get("p");
        assertThat(p.document()).isEqualTo(ALLOW_PUBLISH);
        assertThat(p.defaultVersionId()).isEqualTo("1");
        assertThat(p.generationId()).isEqualTo(v1.generationId());
        assertThat(registry.policies().getVersion("p", "1")).isEqualTo(v1);
        expectError(ErrorType.RESOURCE_ALREADY_EXISTS, () -> registry.policies().create("p", ALLOW_PUBLISH));
    }

    @Test
    void malformedDocumentsAndBadNamesAreRejectedAndCreateNothing() {
        expectError(ErrorType.MALFORMED_POLICY, () -> registry.policies().create("p", "{not json"));
        expectError(ErrorType.MALFORMED_POLICY, () -> registry.policies().create("p",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"iot:Publish\",\"Resource\":\"*\"}]}"));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.policies().create("bad name", ALLOW_PUBLISH));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.policies().create("x".repeat(129), ALLOW_PUBLISH));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.policies().get("p"));
        registry.policies().create("p", ALLOW_PUBLISH);
        expectError(ErrorType.MALFORMED_POLICY, () -> registry.policies().createVersion("p", "[]", true));
        assertThat(registry.policies().listVersions("p")).hasSize(1);
    }

    @Test
    void policyVersionsAreLimitedToFiveWithIdsNeverReused() {
        registry.policies().create("p", ALLOW_PUBLISH);
        for (int i = 2; i <= 5; i++) {
            PolicyVersion v = registry.policies().createVersion("p", DENY_PUBLISH_SECRET, i == 3);
            assertThat(v.versionId()).isEqualTo(Integer.toString(i));
        }
        assertThat(registry.policies().get("p").defaultVersionId()).isEqualTo("3");
        assertThat(registry.policies().get("p").document()).isEqualTo(DENY_PUBLISH_SECRET);
        expectError(ErrorType.VERSIONS_LIMIT_EXCEEDED, () -> registry.policies().createVersion("p", ALLOW_PUBLISH, false));
        registry.policies().deleteVersion("p", "5");
        PolicyVersion six = registry.policies().createVersion("p", ALLOW_PUBLISH, false);
        assertThat(six.versionId()).isEqualTo("6");
        assertThat(six.isDefaultVersion()).isFalse();
        assertThat(registry.policies().listVersions("p")).extracting(PolicyVersion::versionId).containsExactly("6", "4", "3", "2", "1");
        assertThat(registry.policies().listVersions("p")).filteredOn(PolicyVersion::isDefaultVersion)
                .extracting(PolicyVersion::versionId).containsExactly("3");
    }

    @Test
    void theDefaultVersionCannotBeDeletedButCanBeMoved() {
        registry.policies().create("p", ALLOW_PUBLISH);
        registry.policies().createVersion("p", DENY_PUBLISH_SECRET, false);
        expectError(ErrorType.DELETE_CONFLICT, () -> registry.policies().deleteVersion("p", "1"));
        registry.policies().setDefaultVersion("p", "2");
        assertThat(registry.policies().getVersion("p", "2").isDefaultVersion()).isTrue();
        assertThat(registry.policies().getVersion("p", "1").isDefaultVersion()).isFalse();
        registry.policies().deleteVersion("p", "1");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.policies().deleteVersion("p", "1"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.policies().getVersion("p", "1"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.policies().setDefaultVersion("p", "9"));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.policies().getVersion("p", "v1"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.policies().listVersions("ghost"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.policies().createVersion("ghost", ALLOW_PUBLISH, true));
    }

    @Test
    void aPolicyWithOtherVersionsOrAttachmentsCannotBeDeleted() {
        registry.policies().create("p", ALLOW_PUBLISH);
        registry.policies().createVersion("p", ALLOW_PUBLISH, true);
        assertThatThrownBy(() -> registry.policies().delete("p")).hasMessageContaining("versions other than");
        registry.policies().deleteVersion("p", "1");
        Certificate cert = registry.certificates().createKeysAndCertificate(false).certificate();
        registry.attachments().attachPolicy("p", cert.arn());
        assertThatThrownBy(() -> registry.policies().delete("p"))
                .satisfies(e -> assertThat(((RampartException) e).type()).isEqualTo(ErrorType.DELETE_CONFLICT))
                .hasMessageContaining("attached");
        registry.attachments().detachPolicy("p", cert.arn());
        registry.policies().delete("p");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.policies().delete("p"));
    }

    @Test
    void listPoliciesPaginates() {
        for (String name : List.of("c", "a", "b")) {
            registry.policies().create(name, ALLOW_PUBLISH);
        }
        Page<PolicyRef> first = registry.policies().list(Page.Request.first(2));
        assertThat(first.items()).extracting(PolicyRef::policyName).containsExactly("a", "b");
        Page<PolicyRef> second = registry.policies().list(new Page.Request(2, first.nextToken()));
        assertThat(second.items()).containsExactly(new PolicyRef("c", SCOPE.arn("policy", "c")));
        assertThat(second.nextToken()).isNull();
    }

    // ------------------------------------------------------------------ certificates

    @Test
    void createKeysAndCertificateStoresTheCertificateButNeverThePrivateKey() throws Exception {
        IssuedCertificate issued = registry.certificates().createKeysAndCertificate(true);
        Certificate cert = issued.certificate();
        X509Certificate x509 = Pem.parseCertificate(cert.pem());
        assertThat(cert.id()).isEqualTo(CertificateId.of(x509).value());
        assertThat(cert.arn()).isEqualTo(SCOPE.arn("cert", cert.id()));
        assertThat(cert.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(cert.caCertificateId()).isEqualTo(builtInCa.certificateId().value());
        assertThat(cert.ownedBy()).isEqualTo(SCOPE.accountId());
        assertThat(cert.mode()).isEqualTo(CertificateMode.DEFAULT);
        assertThat(cert.notAfter()).isEqualTo(x509.getNotAfter().toInstant());
        assertThat(issued.privateKeyPem()).contains("PRIVATE KEY");
        assertThat(issued.toString()).doesNotContain("PRIVATE KEY");
        assertThat(registry.certificates().describe(cert.id())).isEqualTo(cert);
        assertThat(registry.certificates().describe(cert.id().toUpperCase())).isEqualTo(cert);
        String keyBody = issued.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(everyStoredText()).doesNotContain("PRIVATE KEY").doesNotContain(keyBody);
        assertThat(registry.certificates().createKeysAndCertificate(false).certificate().status()).isEqualTo(CertificateStatus.INACTIVE);
    }

    @Test
    void createCertificateFromCsrKeepsTheDevicesKey() throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate(random);
        Certificate cert = registry.certificates().createFromCsr(csr(keys, "CN=sensor-7"), true);
        X509Certificate x509 = Pem.parseCertificate(cert.pem());
        assertThat(x509.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=sensor-7");
        assertThat(cert.status()).isEqualTo(CertificateStatus.ACTIVE);
        expectError(ErrorType.INVALID_REQUEST, () -> registry.certificates().createFromCsr("garbage", true));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.certificates().createFromCsr(null, true));
    }

    @Test
    void revocationIsFinalAndPutsTheSerialOnTheBuiltInCrlForGood() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        assertThat(registry.certificates().update(cert.id(), CertificateStatus.INACTIVE).status()).isEqualTo(CertificateStatus.INACTIVE);
        Certificate active = registry.certificates().update(cert.id(), CertificateStatus.ACTIVE);
        assertThat(active.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(active.customerVersion()).isEqualTo(3);
        assertThat(registry.certificates().revokedByBuiltInCa()).isEmpty();
        registry.certificates().update(cert.id(), CertificateStatus.REVOKED);
        expectError(ErrorType.CERTIFICATE_STATE, () -> registry.certificates().update(cert.id(), CertificateStatus.ACTIVE));
        expectError(ErrorType.CERTIFICATE_STATE, () -> registry.certificates().update(cert.id(), CertificateStatus.INACTIVE));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.certificates().update(cert.id(), CertificateStatus.PENDING_TRANSFER));
        assertThat(registry.certificates().revokedByBuiltInCa()).containsExactly(new RevokedCertificate(cert.serialNumber(), clock.instant()));
        registry.certificates().delete(cert.id(), false);
        assertThat(registry.certificates().revokedByBuiltInCa()).extracting(RevokedCertificate::serialNumber).containsExactly(cert.serialNumber());
    }

    @Test
    void deletionNeedsAnInactiveCertificateWithoutThingsAndWithoutPoliciesUnlessForced() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.policies().create("p", ALLOW_PUBLISH);
        registry.things().create("t", null, Map.of());
        registry.attachments().attachPolicy("p", cert.arn());
        registry.attachments().attachThingPrincipal("t", cert.arn());
        expectError(ErrorType.CERTIFICATE_STATE, () -> registry.certificates().delete(cert.id(), true));
        registry.certificates().update(cert.id(), CertificateStatus.INACTIVE);
        expectError(ErrorType.DELETE_CONFLICT, () -> registry.certificates().delete(cert.id(), true));
        registry.attachments().detachThingPrincipal("t", cert.arn());
        expectError(ErrorType.DELETE_CONFLICT, () -> registry.certificates().delete(cert.id(), false));
        registry.certificates().delete(cert.id(), true);
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.certificates().describe(cert.id()));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.certificates().delete(cert.id(), false));
        assertThat(registry.attachments().listTargetsForPolicy("p", Page.Request.first(5)).items()).isEmpty();
    }

    @Test
    void registeringADeviceCertificateVerifiesItAgainstItsRegisteredActiveCa() {
        KeyPair keys = KeyAlgorithm.EC_P256.generate(random);
        String devicePem = Pem.encodeCertificate(externalCa.issue(keys.getPublic(), "CN=byo-device", Duration.ofDays(30)));
        expectError(ErrorType.CERTIFICATE_VALIDATION, () -> registry.certificates().register(devicePem, null, null, true));
        CaCertificate ca = registerExternalCa(false);
        expectError(ErrorType.CERTIFICATE_STATE, () -> registry.certificates().register(devicePem, null, null, true));
        registry.caCertificates().update(ca.id(), new CaCertificateUpdate(CaCertificateStatus.ACTIVE, null, null, false));
        Certificate registered = registry.certificates().register(devicePem, null, null, true);
        assertThat(registered.caCertificateId()).isEqualTo(ca.id());
        assertThat(registered.status()).isEqualTo(CertificateStatus.ACTIVE);
        expectError(ErrorType.RESOURCE_ALREADY_EXISTS, () -> registry.certificates().register(devicePem, null, null, true));
        String other = Pem.encodeCertificate(externalCa.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(), "CN=b", Duration.ofDays(30)));
        Certificate withCaPem = registry.certificates().register(other, ca.pem(), CertificateStatus.INACTIVE, true);
        assertThat(withCaPem.status()).isEqualTo(CertificateStatus.INACTIVE);
        String builtInPem = Pem.encodeCertificate(builtInCa.certificate());
        expectError(ErrorType.CERTIFICATE_VALIDATION, () -> registry.certificates().register(
                Pem.encodeCertificate(externalCa.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(), "CN=c", Duration.ofDays(30))),
                builtInPem, null, true));
        expectError(ErrorType.CERTIFICATE_VALIDATION, () -> registry.certificates().register("not a pem", null, null, true));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.certificates().register(other, null, CertificateStatus.REVOKED, true));
    }

    @Test
    void aCertificateWhoseCaIsUnknownCanBeRegisteredWithoutCaInSniOnlyMode() {
        CertificateAuthority stranger = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Stranger", clock, random);
        String pem = Pem.encodeCertificate(stranger.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(), "CN=x", Duration.ofDays(1)));
        Certificate cert = registry.certificates().registerWithoutCa(pem, CertificateStatus.ACTIVE);
        assertThat(cert.mode()).isEqualTo(CertificateMode.SNI_ONLY);
        assertThat(cert.caCertificateId()).isNull();
        assertThat(registry.certificates().describe(cert.id())).isEqualTo(cert);
        String expired = Pem.encodeCertificate(stranger.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(), "CN=y", Duration.ofSeconds(1)));
        clock.advance(Duration.ofMinutes(10));
        expectError(ErrorType.CERTIFICATE_VALIDATION, () -> registry.certificates().registerWithoutCa(expired, null));
    }

    @Test
    void certificatesAreListedByCreationDateBothWaysAndByCa() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(registry.certificates().createKeysAndCertificate(false).certificate().id());
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(pageThrough(token -> registry.certificates().list(new Page.Request(2, token), true), Certificate::id))
                .containsExactlyElementsOf(ids);
        assertThat(pageThrough(token -> registry.certificates().list(new Page.Request(2, token), false), Certificate::id))
                .containsExactlyElementsOf(ids.reversed());
        assertThat(pageThrough(token -> registry.certificates().listByCa(builtInCa.certificateId().value(), new Page.Request(3, token), true),
                Certificate::id)).containsExactlyElementsOf(ids);
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.certificates().listByCa("ab".repeat(32), Page.Request.first(5), true));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.certificates().describe("not-an-id"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.certificates().describe("cd".repeat(32)));
    }

    @Test
    void theGatewayVerdictNeedsAnActiveCertificateAnActiveCaAndValidity() {
        assertThat(registry.certificates().verify("ab".repeat(32))).isInstanceOfSatisfying(CertificateVerdict.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(CertificateVerdict.Reason.UNKNOWN));
        Certificate builtIn = registry.certificates().createKeysAndCertificate(false).certificate();
        assertThat(registry.certificates().verify(builtIn.id())).isInstanceOfSatisfying(CertificateVerdict.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(CertificateVerdict.Reason.NOT_ACTIVE));
        registry.certificates().update(builtIn.id(), CertificateStatus.ACTIVE);
        assertThat(registry.certificates().verify(builtIn.id())).isEqualTo(
                new CertificateVerdict.Accepted(registry.certificates().describe(builtIn.id())));

        CaCertificate ca = registerExternalCa(true);
        String pem = Pem.encodeCertificate(externalCa.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(), "CN=d", Duration.ofHours(1)));
        Certificate byo = registry.certificates().register(pem, null, null, true);
        assertThat(registry.certificates().verify(byo.id())).isInstanceOf(CertificateVerdict.Accepted.class);
        registry.caCertificates().update(ca.id(), new CaCertificateUpdate(CaCertificateStatus.INACTIVE, null, null, false));
        assertThat(registry.certificates().verify(byo.id())).isInstanceOfSatisfying(CertificateVerdict.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(CertificateVerdict.Reason.CA_NOT_ACTIVE));
        registry.caCertificates().update(ca.id(), new CaCertificateUpdate(CaCertificateStatus.ACTIVE, null, null, false));

        Instant registeredAt = clock.instant();
        clock.set(byo.notBefore().minusSeconds(1));
        assertThat(registry.certificates().verify(byo.id())).isInstanceOfSatisfying(CertificateVerdict.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(CertificateVerdict.Reason.NOT_YET_VALID));
        clock.set(byo.notAfter().plusSeconds(1));
        assertThat(registry.certificates().verify(byo.id())).isInstanceOfSatisfying(CertificateVerdict.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(CertificateVerdict.Reason.EXPIRED));
        clock.set(registeredAt);
        assertThat(registry.certificates().verify(byo.id())).isInstanceOf(CertificateVerdict.Accepted.class);
        registry.certificates().update(byo.id(), CertificateStatus.REVOKED);
        assertThat(registry.certificates().verify(byo.id())).isInstanceOfSatisfying(CertificateVerdict.Rejected.class,
                r -> assertThat(r.message()).contains("REVOKED"));
    }

    // ------------------------------------------------------------------ CA certificates

    @Test
    void theRegistrationCodeIsStable() {
        String code = registry.caCertificates().registrationCode();
        assertThat(code).matches("[0-9a-f]{64}");
        assertThat(registry.caCertificates().registrationCode()).isEqualTo(code);
    }

    @Test
    void registeringACaNeedsProofOfPossessionWithTheRegistrationCode() {
        String caPem = Pem.encodeCertificate(externalCa.certificate());
        KeyPair keys = KeyAlgorithm.EC_P256.generate(random);
        String wrongCode = Pem.encodeCertificate(externalCa.issue(keys.getPublic(), "CN=" + "0".repeat(64), Duration.ofDays(1)));
        expectError(ErrorType.REGISTRATION_CODE_VALIDATION, () -> registry.caCertificates().register(caPem, wrongCode, true, false, null));
        CertificateAuthority stranger = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Stranger", clock, random);
        String signedByStranger = Pem.encodeCertificate(stranger.issue(keys.getPublic(),
                "CN=" + registry.caCertificates().registrationCode(), Duration.ofDays(1)));
        expectError(ErrorType.REGISTRATION_CODE_VALIDATION, () -> registry.caCertificates().register(caPem, signedByStranger, true, false, null));
        String leaf = Pem.encodeCertificate(externalCa.issue(keys.getPublic(), "CN=leaf", Duration.ofDays(1)));
        expectError(ErrorType.CERTIFICATE_VALIDATION, () -> registry.caCertificates().register(leaf, leaf, true, false, null));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.caCertificates().register(caPem, null, true, false, null));
        assertThat(registry.caCertificates().list(Page.Request.first(5), true).items()).isEmpty();
        CaCertificate ca = registerExternalCa(true);
        assertThat(ca.status()).isEqualTo(CaCertificateStatus.ACTIVE);
        assertThat(ca.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.ENABLE);
        assertThat(ca.arn()).isEqualTo(SCOPE.arn("cacert", ca.id()));
        assertThat(ca.registrationConfig()).isEqualTo(new RegistrationConfig("{}", null, "jitp"));
        assertThat(registry.caCertificates().describe(ca.id())).isEqualTo(ca);
        expectError(ErrorType.RESOURCE_ALREADY_EXISTS, this::registerExternalCaAgain);
    }

    @Test
    void caCertificatesAreUpdatedAndListedByCreationDate() {
        CaCertificate first = registerExternalCa(false);
        clock.advance(Duration.ofSeconds(1));
        CertificateAuthority second = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Second CA", clock, random);
        String verification = Pem.encodeCertificate(second.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(),
                "CN=" + registry.caCertificates().registrationCode(), Duration.ofDays(1)));
        CaCertificate other = registry.caCertificates().register(Pem.encodeCertificate(second.certificate()), verification, true, false, null);
        assertThat(other.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.DISABLE);
        assertThat(other.registrationConfig()).isNull();
        assertThat(pageThrough(token -> registry.caCertificates().list(new Page.Request(1, token), true), CaCertificate::id))
                .containsExactly(first.id(), other.id());
        assertThat(pageThrough(token -> registry.caCertificates().list(new Page.Request(1, token), false), CaCertificate::id))
                .containsExactly(other.id(), first.id());
        RegistrationConfig config = new RegistrationConfig("{\"Resources\":{}}", "arn:aws:iam::123456789012:role/jitp", null);
        CaCertificate updated = registry.caCertificates().update(other.id(), new CaCertificateUpdate(null, AutoRegistrationStatus.ENABLE, config, false));
        assertThat(updated.status()).isEqualTo(CaCertificateStatus.ACTIVE);
        assertThat(updated.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.ENABLE);
        assertThat(updated.registrationConfig()).isEqualTo(config);
        assertThat(updated.generationId()).isNotEqualTo(other.generationId());
        expectError(ErrorType.INVALID_REQUEST, () -> registry.caCertificates().update(other.id(), new CaCertificateUpdate(null, null, config, true)));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.caCertificates().describe("xyz"));
    }

    @Test
    void aCaIsDeletedOnlyWhenInactiveAndWithoutRegisteredCertificates() {
        CaCertificate ca = registerExternalCa(true);
        String device = Pem.encodeCertificate(externalCa.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(), "CN=d", Duration.ofDays(3)));
        Certificate cert = registry.certificates().register(device, null, null, false);
        assertThat(pageThrough(token -> registry.certificates().listByCa(ca.id(), new Page.Request(5, token), true), Certificate::id))
                .containsExactly(cert.id());
        expectError(ErrorType.CERTIFICATE_STATE, () -> registry.caCertificates().delete(ca.id()));
        CaCertificate inactive = registry.caCertificates().update(ca.id(),
                new CaCertificateUpdate(CaCertificateStatus.INACTIVE, AutoRegistrationStatus.DISABLE, null, true));
        assertThat(inactive.status()).isEqualTo(CaCertificateStatus.INACTIVE);
        assertThat(inactive.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.DISABLE);
        assertThat(inactive.registrationConfig()).isNull();
        assertThat(inactive.customerVersion()).isEqualTo(2);
        expectError(ErrorType.CERTIFICATE_STATE, () -> registry.certificates().update(cert.id(), CertificateStatus.ACTIVE));
        assertThatThrownBy(() -> registry.caCertificates().delete(ca.id())).hasMessageContaining("1 registered device certificate");
        registry.certificates().delete(cert.id(), false);
        registry.caCertificates().delete(ca.id());
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.caCertificates().describe(ca.id()));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.caCertificates().update(ca.id(), new CaCertificateUpdate(null, null, null, false)));
    }

    // ------------------------------------------------------------------ attachments

    @Test
    void policiesAttachToCertificatesAndGroupsAndAreListedBothWays() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.thingGroups().create("root", null, null, Map.of());
        registry.thingGroups().create("leaf", "root", null, Map.of());
        registry.policies().create("p-cert", ALLOW_PUBLISH);
        registry.policies().create("p-root", ALLOW_PUBLISH);
        registry.policies().create("p-leaf", ALLOW_PUBLISH);
        registry.attachments().attachPolicy("p-cert", cert.arn());
        registry.attachments().attachPolicy("p-cert", cert.arn());
        registry.attachments().attachPolicy("p-root", SCOPE.arn("thinggroup", "root"));
        registry.attachments().attachPolicy("p-leaf", SCOPE.arn("thinggroup", "leaf"));
        registry.attachments().attachPolicy("p-cert", SCOPE.arn("thinggroup", "leaf"));
        assertThat(registry.attachments().listTargetsForPolicy("p-cert", Page.Request.first(10)).items())
                .containsExactly(cert.arn(), SCOPE.arn("thinggroup", "leaf"));
        Page<String> firstTarget = registry.attachments().listTargetsForPolicy("p-cert", Page.Request.first(1));
        assertThat(registry.attachments().listTargetsForPolicy("p-cert", new Page.Request(1, firstTarget.nextToken())).items())
                .containsExactly(SCOPE.arn("thinggroup", "leaf"));
        assertThat(registry.attachments().listAttachedPolicies(cert.arn(), false, Page.Request.first(10)).items())
                .extracting(PolicyRef::policyName).containsExactly("p-cert");
        assertThat(registry.attachments().listAttachedPolicies(SCOPE.arn("thinggroup", "leaf"), false, Page.Request.first(10)).items())
                .extracting(PolicyRef::policyName).containsExactly("p-cert", "p-leaf");
        assertThat(registry.attachments().listAttachedPolicies(SCOPE.arn("thinggroup", "leaf"), true, Page.Request.first(10)).items())
                .extracting(PolicyRef::policyName).containsExactly("p-cert", "p-leaf", "p-root");
        registry.attachments().detachPolicy("p-cert", cert.arn());
        assertThat(registry.attachments().listAttachedPolicies(cert.arn(), false, Page.Request.first(10)).items()).isEmpty();
    }

    @Test
    void attachmentsValidateTheirTargetsAndLimits() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.policies().create("p", ALLOW_PUBLISH);
        expectError(ErrorType.INVALID_REQUEST, () -> registry.attachments().attachPolicy("p", "arn:aws:iot:eu-west-1:123456789012:thing/t"));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.attachments().attachPolicy("p", "arn:aws:iot:us-east-1:999999999999:cert/" + cert.id()));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().attachPolicy("ghost", cert.arn()));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().attachPolicy("p", SCOPE.arn("cert", "ab".repeat(32))));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().attachPolicy("p", SCOPE.arn("thinggroup", "ghost")));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().listTargetsForPolicy("ghost", Page.Request.first(5)));
        for (int i = 0; i < RegistryLimits.defaults().maxPoliciesPerTarget(); i++) {
            registry.policies().create("p" + i, ALLOW_PUBLISH);
            registry.attachments().attachPolicy("p" + i, cert.arn());
        }
        expectError(ErrorType.LIMIT_EXCEEDED, () -> registry.attachments().attachPolicy("p", cert.arn()));
        registry.attachments().attachPolicy("p0", cert.arn());
    }

    @Test
    void thingPrincipalsAreListedBothWays() {
        Certificate c1 = registry.certificates().createKeysAndCertificate(true).certificate();
        Certificate c2 = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.things().create("t1", null, Map.of());
        registry.things().create("t2", null, Map.of());
        registry.attachments().attachThingPrincipal("t1", c1.arn());
        registry.attachments().attachThingPrincipal("t1", c2.arn());
        registry.attachments().attachThingPrincipal("t1", c2.arn());
        registry.attachments().attachThingPrincipal("t2", c1.arn());
        assertThat(registry.attachments().listThingPrincipals("t1", Page.Request.first(10)).items())
                .containsExactlyInAnyOrder(c1.arn(), c2.arn());
        assertThat(pageThrough(token -> registry.attachments().listThingPrincipals("t1", new Page.Request(1, token)), s -> s))
                .containsExactlyInAnyOrder(c1.arn(), c2.arn());
        assertThat(registry.attachments().listPrincipalThings(c1.arn(), Page.Request.first(10)).items()).containsExactly("t1", "t2");
        assertThat(registry.attachments().listPrincipalThings(c1.id(), Page.Request.first(1)).nextToken()).isNotNull();
        registry.attachments().detachThingPrincipal("t1", c1.arn());
        assertThat(registry.attachments().listPrincipalThings(c1.arn(), Page.Request.first(10)).items()).containsExactly("t2");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().attachThingPrincipal("ghost", c1.arn()));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().attachThingPrincipal("t1", SCOPE.arn("cert", "ef".repeat(32))));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.attachments().attachThingPrincipal("t1", "arn:aws:cognito:x"));
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().listThingPrincipals("ghost", Page.Request.first(5)));
    }

    // ------------------------------------------------------------------ authorizations

    @Test
    void effectivePoliciesIncludeGroupAncestorsOnlyForTheAttachedThing() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.thingGroups().create("fleet", null, null, Map.of());
        registry.thingGroups().create("line-1", "fleet", null, Map.of());
        registry.things().create("dev-1", null, Map.of());
        registry.things().create("dev-2", null, Map.of());
        registry.thingGroups().addThing("line-1", "dev-1");
        registry.thingGroups().addThing("line-1", "dev-2");
        registry.policies().create("cert-policy", ALLOW_PUBLISH);
        registry.policies().create("fleet-policy", DENY_PUBLISH_SECRET);
        registry.policies().create("line-policy", ALLOW_OWN_TOPIC);
        registry.attachments().attachPolicy("cert-policy", cert.arn());
        registry.attachments().attachPolicy("fleet-policy", SCOPE.arn("thinggroup", "fleet"));
        registry.attachments().attachPolicy("line-policy", SCOPE.arn("thinggroup", "line-1"));
        registry.attachments().attachThingPrincipal("dev-1", cert.arn());
        assertThat(registry.authorizations().effectivePolicies(cert.arn(), "dev-1"))
                .extracting(EffectivePolicy::policyName).containsExactly("cert-policy", "fleet-policy", "line-policy");
        assertThat(registry.authorizations().effectivePolicies(cert.arn(), "dev-1").get(1).policyDocument()).isEqualTo(DENY_PUBLISH_SECRET);
        assertThat(registry.authorizations().effectivePolicies(cert.arn(), "dev-2"))
                .extracting(EffectivePolicy::policyName).containsExactly("cert-policy");
        assertThat(registry.authorizations().effectivePolicies(cert.id(), null))
                .extracting(EffectivePolicy::policyName).containsExactly("cert-policy");
        assertThat(registry.authorizations().effectivePolicies(SCOPE.arn("thinggroup", "line-1"), null))
                .extracting(EffectivePolicy::policyName).containsExactly("fleet-policy", "line-policy");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.authorizations().effectivePolicies(SCOPE.arn("cert", "ab".repeat(32)), null));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.authorizations().effectivePolicies("arn:aws:iot:eu-west-1:123456789012:thing/x", null));
    }

    @Test
    void testAuthorizationReportsDecisionsWithTheDecidingPolicies() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.thingGroups().create("fleet", null, null, Map.of());
        registry.things().create("dev-1", null, Map.of());
        registry.thingGroups().addThing("fleet", "dev-1");
        registry.attachments().attachThingPrincipal("dev-1", cert.arn());
        registry.policies().create("allow-a", ALLOW_PUBLISH);
        registry.policies().create("deny-secret", DENY_PUBLISH_SECRET);
        registry.policies().create("own-topic", ALLOW_OWN_TOPIC);
        registry.attachments().attachPolicy("allow-a", cert.arn());
        registry.attachments().attachPolicy("deny-secret", SCOPE.arn("thinggroup", "fleet"));
        registry.attachments().attachPolicy("own-topic", SCOPE.arn("thinggroup", "fleet"));
        List<AuthResult> results = registry.authorizations().testAuthorization(cert.arn(), "dev-1", List.of(
                publish("a/open"), publish("a/secret"), publish("b/other"), publish("things/dev-1/status"),
                publish("things/dev-2/status")), null, null);
        assertThat(results).extracting(AuthResult::authDecision).containsExactly(AuthDecision.ALLOWED, AuthDecision.EXPLICIT_DENY,
                AuthDecision.IMPLICIT_DENY, AuthDecision.ALLOWED, AuthDecision.IMPLICIT_DENY);
        assertThat(results.get(0).allowedBy()).extracting(PolicyRef::policyName).containsExactly("allow-a");
        assertThat(results.get(1).explicitDenyBy()).extracting(PolicyRef::policyName).containsExactly("deny-secret");
        assertThat(results.get(2).implicitDenyBy()).extracting(PolicyRef::policyName)
                .containsExactlyInAnyOrder("allow-a", "deny-secret", "own-topic");
        assertThat(results.get(3).allowedBy()).extracting(PolicyRef::policyName).containsExactly("own-topic");

        List<AuthResult> skipped = registry.authorizations().testAuthorization(cert.arn(), "dev-1",
                List.of(publish("a/secret")), null, List.of("deny-secret"));
        assertThat(skipped.getFirst().authDecision()).isEqualTo(AuthDecision.ALLOWED);
        registry.policies().create("deny-all", policy("Deny", "iot:*", "*"));
        List<AuthResult> added = registry.authorizations().testAuthorization(cert.arn(), "dev-1",
                List.of(publish("a/open")), List.of("deny-all"), null);
        assertThat(added.getFirst().explicitDenyBy()).extracting(PolicyRef::policyName).containsExactly("deny-all");
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.authorizations().testAuthorization(cert.arn(), "dev-1",
                List.of(publish("a/open")), List.of("ghost"), null));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.authorizations().testAuthorization(cert.arn(), "dev-1",
                List.of(), null, null));
        expectError(ErrorType.INVALID_REQUEST, () -> registry.authorizations().testAuthorization(cert.arn(), "dev-1",
                List.of(new AuthInfo(ActionType.PUBLISH, List.of("topic/a"))), null, null));
    }

    @Test
    void thingVariablesNeedTheThingAttachedAndAreReportedMissingOtherwise() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.things().create("dev-1", null, Map.of());
        registry.policies().create("own-topic", ALLOW_OWN_TOPIC);
        registry.attachments().attachPolicy("own-topic", cert.arn());
        AuthResult unattached = registry.authorizations().testAuthorization(cert.arn(), "dev-1",
                List.of(publish("things/dev-1/status")), null, null).getFirst();
        assertThat(unattached.authDecision()).isEqualTo(AuthDecision.IMPLICIT_DENY);
        assertThat(unattached.missingContextValues()).isNotEmpty();
        registry.attachments().attachThingPrincipal("dev-1", cert.arn());
        assertThat(registry.authorizations().testAuthorization(cert.arn(), "dev-1",
                List.of(publish("things/dev-1/status")), null, null).getFirst().authDecision()).isEqualTo(AuthDecision.ALLOWED);
    }

    @Test
    void forConnectionGivesTheGatewayPoliciesAndContextInOneCall() {
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.thingTypes().create("lamp", null, List.of());
        registry.things().create("dev-1", "lamp", Map.of("room", "hall"));
        registry.thingGroups().create("fleet", null, null, Map.of());
        registry.thingGroups().addThing("fleet", "dev-1");
        registry.attachments().attachThingPrincipal("dev-1", cert.arn());
        registry.policies().create("cert-policy", ALLOW_PUBLISH);
        registry.policies().create("group-policy", ALLOW_OWN_TOPIC);
        registry.attachments().attachPolicy("cert-policy", cert.arn());
        registry.attachments().attachPolicy("group-policy", SCOPE.arn("thinggroup", "fleet"));
        ConnectionPolicies connection = registry.authorizations().forConnection(cert.id(), "dev-1");
        assertThat(connection.certificate()).isEqualTo(cert);
        assertThat(connection.caActive()).isTrue();
        assertThat(connection.policies()).extracting(p -> p.name()).containsExactly("cert-policy", "group-policy");
        assertThat(connection.context().clientId()).contains("dev-1");
        assertThat(connection.context().thing()).hasValueSatisfying(thing -> {
            assertThat(thing.attached()).isTrue();
            assertThat(thing.thingTypeName()).contains("lamp");
            assertThat(thing.attributes()).containsEntry("room", "hall");
        });
        assertThat(connection.context().certificate()).hasValueSatisfying(c -> assertThat(c.certificateId()).isEqualTo(cert.id()));
        ConnectionPolicies stranger = registry.authorizations().forConnection(cert.id(), "someone-else");
        assertThat(stranger.policies()).extracting(p -> p.name()).containsExactly("cert-policy");
        assertThat(stranger.context().thing()).isEmpty();
        expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.authorizations().forConnection("ab".repeat(32), "dev-1"));
    }

    // ------------------------------------------------------------------ concurrency and persistence

    @Test
    void concurrentCreatesOfOneNameGiveExactlyOneSuccess() throws Exception {
        List<String> thingOutcomes = concurrently(6, i -> outcome(() -> registry.things().create("contested", null, Map.of("n", "" + i))));
        assertThat(thingOutcomes).containsOnlyOnce("ok").containsOnly("ok", "ResourceAlreadyExistsException");
        List<String> policyOutcomes = concurrently(6, i -> outcome(() -> registry.policies().create("contested", ALLOW_PUBLISH)));
        assertThat(policyOutcomes).containsOnlyOnce("ok").containsOnly("ok", "ResourceAlreadyExistsException");
        List<String> typeOutcomes = concurrently(6, i -> outcome(() -> registry.thingTypes().create("contested", null, List.of())));
        assertThat(typeOutcomes).containsOnlyOnce("ok").containsOnly("ok", "ResourceAlreadyExistsException");
    }

    @Test
    void concurrentPolicyVersionsNeverExceedTheLimit() throws Exception {
        registry.policies().create("p", ALLOW_PUBLISH);
        List<String> outcomes = concurrently(8, i -> outcome(() -> registry.policies().createVersion("p", ALLOW_PUBLISH, i % 2 == 0)));
        assertThat(outcomes).filteredOn("ok"::equals).hasSize(4);
        assertThat(outcomes).containsOnly("ok", "VersionsLimitExceededException");
        List<PolicyVersion> versions = registry.policies().listVersions("p");
        assertThat(versions).hasSize(5);
        assertThat(versions).filteredOn(PolicyVersion::isDefaultVersion).hasSize(1);
        assertThat(new HashSet<>(versions.stream().map(PolicyVersion::versionId).toList())).hasSize(5);
    }

    @Test
    void everythingSurvivesARestart() {
        registry.thingTypes().create("lamp", "d", List.of("room"));
        Thing thing = registry.things().create("dev-1", "lamp", Map.of("room", "hall"));
        registry.thingGroups().create("fleet", null, null, Map.of());
        registry.thingGroups().addThing("fleet", "dev-1");
        registry.policies().create("p", ALLOW_PUBLISH);
        registry.policies().createVersion("p", DENY_PUBLISH_SECRET, true);
        Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
        Certificate revoked = registry.certificates().createKeysAndCertificate(true).certificate();
        registry.certificates().update(revoked.id(), CertificateStatus.REVOKED);
        registry.attachments().attachPolicy("p", cert.arn());
        registry.attachments().attachThingPrincipal("dev-1", cert.arn());
        CaCertificate ca = registerExternalCa(true);
        String code = registry.caCertificates().registrationCode();
        Policy policy = registry.policies().get("p");

        Registry restarted = open(testDb.reopen());
        assertThat(restarted.things().describe("dev-1")).isEqualTo(thing);
        assertThat(restarted.thingTypes().describe("lamp").searchableAttributes()).containsExactly("room");
        assertThat(restarted.thingGroups().listThings("fleet", false, Page.Request.first(5)).items()).containsExactly("dev-1");
        assertThat(restarted.policies().get("p")).isEqualTo(policy);
        assertThat(restarted.policies().listVersions("p")).hasSize(2);
        assertThat(restarted.certificates().describe(cert.id())).isEqualTo(cert);
        assertThat(restarted.certificates().revokedByBuiltInCa()).extracting(RevokedCertificate::serialNumber)
                .containsExactly(revoked.serialNumber());
        assertThat(restarted.attachments().listAttachedPolicies(cert.arn(), false, Page.Request.first(5)).items())
                .extracting(PolicyRef::policyName).containsExactly("p");
        assertThat(restarted.attachments().listPrincipalThings(cert.arn(), Page.Request.first(5)).items()).containsExactly("dev-1");
        assertThat(restarted.caCertificates().describe(ca.id())).isEqualTo(ca);
        assertThat(restarted.caCertificates().registrationCode()).isEqualTo(code);
        registry = restarted;
    }

    // ------------------------------------------------------------------ helpers

    private CaCertificate registerExternalCa(boolean active) {
        String verification = Pem.encodeCertificate(externalCa.issue(KeyAlgorithm.EC_P256.generate(random).getPublic(),
                "CN=" + registry.caCertificates().registrationCode(), Duration.ofDays(1)));
        return registry.caCertificates().register(Pem.encodeCertificate(externalCa.certificate()), verification, active, true,
                new RegistrationConfig("{}", null, "jitp"));
    }

    private void registerExternalCaAgain() {
        registerExternalCa(true);
    }

    private static AuthInfo publish(String topic) {
        return new AuthInfo(ActionType.PUBLISH, List.of(SCOPE.arn("topic", topic)));
    }

    static String policy(String effect, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    private String csr(KeyPair keys, String subject) throws Exception {
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        return Pem.encodeCsr(request);
    }

    /** Every text value stored in the registry's tables, to prove what is not there. */
    private String everyStoredText() {
        return testDb.database().query(c -> {
            StringBuilder all = new StringBuilder();
            for (String table : List.of("reg_certificates", "reg_settings", "reg_crl_entries")) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            all.append(rs.getString(i)).append('\n');
                        }
                    }
                }
            }
            return all.toString();
        });
    }

    private static <T> List<String> pageThrough(Function<String, Page<T>> list, Function<T, String> key) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            Page<T> page = list.apply(token);
            page.items().forEach(item -> out.add(key.apply(item)));
            token = page.nextToken();
        } while (token != null);
        return out;
    }

    private static String outcome(Callable<?> call) throws Exception {
        try {
            call.call();
            return "ok";
        } catch (RampartException e) {
            return e.type().awsName();
        }
    }

    private interface IndexedCall {
        String call(int index) throws Exception;
    }

    private static List<String> concurrently(int threads, IndexedCall task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call(index);
                }));
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- change events (the gateway disconnects and re-authorizes on them) ----

    /** Records events, and the certificate status the registry reports while the event is delivered. */
    private final class RecordingListener implements RegistryListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void certificateStatusChanged(String certificateId, CertificateStatus status) {
            events.add("status " + certificateId + " " + status + " (stored: "
                    + registry.certificates().describe(certificateId).status() + ")");
        }

        @Override
        public void caCertificateStatusChanged(String caCertificateId, CaCertificateStatus status) {
            events.add("ca " + caCertificateId + " " + status);
        }

        @Override
        public void authorizationInputsChanged() {
            events.add("inputs");
        }
    }

    @Test
    void certificateStatusChangesAreAnnouncedAfterCommitAndFailedOnesNot() {
        RecordingListener listener = new RecordingListener();
        registry.addListener(listener);
        try {
            String id = registry.certificates().createKeysAndCertificate(true).certificate().id();
            registry.certificates().update(id, CertificateStatus.REVOKED);
            expectError(ErrorType.CERTIFICATE_STATE, () -> registry.certificates().update(id, CertificateStatus.ACTIVE));
            expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.certificates().update("ab".repeat(32), CertificateStatus.INACTIVE));
            assertThat(listener.events).containsExactly("status " + id + " REVOKED (stored: REVOKED)");
        } finally {
            registry.removeListener(listener);
        }
    }

    @Test
    void everyChangeToAuthorizationInputsIsAnnouncedAndReadsAndFailuresAreNot() {
        RecordingListener listener = new RecordingListener();
        registry.addListener(listener);
        try {
            Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
            registry.things().create("t1", null, Map.of());
            registry.thingGroups().create("g", null, null, Map.of());
            registry.policies().create("p", ALLOW_PUBLISH);
            assertThat(listener.events).as("creations change no connection's policies").isEmpty();

            registry.attachments().attachPolicy("p", cert.arn());
            registry.attachments().attachThingPrincipal("t1", cert.arn());
            registry.thingGroups().addThing("g", "t1");
            registry.things().update("t1", new ThingUpdate(null, false, Map.of("floor", "2"), true, null));
            registry.policies().createVersion("p", ALLOW_OWN_TOPIC, true);
            registry.policies().setDefaultVersion("p", "1");
            registry.thingGroups().removeThing("g", "t1");
            registry.attachments().detachThingPrincipal("t1", cert.arn());
            registry.attachments().detachPolicy("p", cert.arn());
            registry.thingGroups().delete("g", null);
            registry.things().delete("t1", null);
            registry.policies().deleteVersion("p", "2");
            registry.policies().delete("p");
            assertThat(listener.events).hasSize(12).containsOnly("inputs");

            listener.events.clear();
            registry.authorizations().forConnection(cert.id(), "t1");
            expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.attachments().attachPolicy("missing", cert.arn()));
            assertThat(listener.events).as("reads and failed writes").isEmpty();
        } finally {
            registry.removeListener(listener);
        }
    }

    @Test
    void aDeletedThingIsAnnouncedOnceAndRefusedOrEmptyDeletesAreNot() {
        List<String> deleted = new ArrayList<>();
        RegistryListener listener = new RegistryListener() {
            @Override
            public void thingDeleted(String thingName) {
                boolean stillStored;
                try {
                    registry.things().describe(thingName);
                    stillStored = true;
                } catch (RampartException notFound) {
                    stillStored = false;
                }
                deleted.add(thingName + (stillStored ? " (still stored)" : ""));
            }
        };
        registry.addListener(listener);
        try {
            Certificate cert = registry.certificates().createKeysAndCertificate(true).certificate();
            registry.things().create("held", null, Map.of());
            registry.attachments().attachThingPrincipal("held", cert.arn());
            expectError(ErrorType.INVALID_REQUEST, () -> registry.things().delete("held", null));
            registry.things().delete("never-created", null);
            registry.things().create("gone", null, Map.of());
            registry.things().delete("gone", null);
            assertThat(deleted).containsExactly("gone");
        } finally {
            registry.removeListener(listener);
        }
    }

    @Test
    void caStatusChangesAreAnnouncedAndOtherCaUpdatesAreNot() {
        CaCertificate ca = registerExternalCa(true);
        RecordingListener listener = new RecordingListener();
        registry.addListener(listener);
        try {
            registry.caCertificates().update(ca.id(), new CaCertificateUpdate(CaCertificateStatus.INACTIVE, null, null, false));
            registry.caCertificates().update(ca.id(), new CaCertificateUpdate(null, AutoRegistrationStatus.ENABLE, null, false));
            expectError(ErrorType.RESOURCE_NOT_FOUND, () -> registry.caCertificates().update("cd".repeat(32),
                    new CaCertificateUpdate(CaCertificateStatus.INACTIVE, null, null, false)));
            assertThat(listener.events).containsExactly("ca " + ca.id() + " INACTIVE");
        } finally {
            registry.removeListener(listener);
        }
    }

    @Test
    void aFailingListenerNeitherFailsTheChangeNorSilencesTheOthers() {
        RegistryListener failing = new RegistryListener() {
            @Override
            public void certificateStatusChanged(String certificateId, CertificateStatus status) {
                throw new IllegalStateException("listener broke");
            }

            @Override
            public void caCertificateStatusChanged(String caCertificateId, CaCertificateStatus status) {
                throw new IllegalStateException("listener broke");
            }

            @Override
            public void authorizationInputsChanged() {
                throw new IllegalStateException("listener broke");
            }
        };
        RecordingListener recording = new RecordingListener();
        registry.addListener(failing);
        registry.addListener(recording);
        try {
            String id = registry.certificates().createKeysAndCertificate(true).certificate().id();
            assertThat(registry.certificates().update(id, CertificateStatus.INACTIVE).status()).isEqualTo(CertificateStatus.INACTIVE);
            assertThat(recording.events).containsExactly("status " + id + " INACTIVE (stored: INACTIVE)");
        } finally {
            registry.removeListener(failing);
            registry.removeListener(recording);
        }
    }

    private static void expectError(ErrorType type, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(RampartException.class)
                .satisfies(e -> assertThat(((RampartException) e).type()).as(e.getMessage()).isEqualTo(type));
    }
}
