package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access keys as the API relies on them, run on SQLite and PostgreSQL. */
abstract class AccessKeysContract {
    private static final byte[] NODE_SECRET = "node secret for access key tests".getBytes(StandardCharsets.UTF_8);

    private TestDatabase testDb;
    private AccessKeys keys;

    @BeforeEach
    void open(TestDatabase testDb) {
        this.testDb = testDb;
        this.keys = new AccessKeys(testDb.database(), NODE_SECRET, Clock.systemUTC(), new SecureRandom());
        testDb.database().inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM api_access_keys");
            }
        });
    }

    private static void assertFails(ThrowingCallable call, ErrorType type) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(type));
    }

    private String storedSecretColumn(String accessKeyId) {
        return testDb.database().query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT secret_sealed FROM api_access_keys WHERE access_key_id = ?")) {
                s.setString(1, accessKeyId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void keysLookLikeAwsKeys() {
        AccessKeys.NewAccessKey key = keys.create("ci", AccessKeys.Role.ADMIN);
        assertThat(key.key().accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.secretAccessKey()).hasSize(40).matches("[A-Za-z0-9+/]{40}");
        assertThat(keys.create("ci-2", AccessKeys.Role.ADMIN).key().accessKeyId()).isNotEqualTo(key.key().accessKeyId());
    }

    @Test
    void secretIsSealedAtRestAndResolvesToTheSameBytes() {
        AccessKeys.NewAccessKey key = keys.create("sealed", AccessKeys.Role.READ_ONLY);
        assertThat(storedSecretColumn(key.key().accessKeyId())).doesNotContain(key.secretAccessKey());
        AccessKeys.Resolved resolved = keys.resolve(key.key().accessKeyId()).orElseThrow();
        assertThat(new String(resolved.secret(), StandardCharsets.UTF_8)).isEqualTo(key.secretAccessKey());
        assertThat(resolved.caller()).isEqualTo(new Caller(key.key().accessKeyId(), "sealed", AccessKeys.Role.READ_ONLY));
    }

    @Test
    void secretsNeverAppearInToString() {
        AccessKeys.NewAccessKey key = keys.create("printed", AccessKeys.Role.ADMIN);
        assertThat(key.toString()).doesNotContain(key.secretAccessKey()).contains("redacted");
        assertThat(keys.resolve(key.key().accessKeyId()).orElseThrow().toString()).doesNotContain(key.secretAccessKey());
    }

    @Test
    void anotherNodeSecretCannotUnsealTheStoredSecrets() {
        AccessKeys.NewAccessKey key = keys.create("moved", AccessKeys.Role.ADMIN);
        AccessKeys elsewhere = new AccessKeys(testDb.database(), "a different node secret entirely".getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC(), new SecureRandom());
        assertFails(() -> elsewhere.resolve(key.key().accessKeyId()), ErrorType.INTERNAL_FAILURE);
    }

    @Test
    void unknownOrMalformedIdsResolveToNothing() {
        assertThat(keys.resolve("AKIAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(keys.resolve("'; DROP TABLE api_access_keys; --")).isEmpty();
    }

    @Test
    void bootstrapCreatesTheFirstAdminOnceAndSurvivesARestart() {
        AccessKeys.NewAccessKey admin = keys.bootstrapAdmin().orElseThrow();
        assertThat(admin.key().role()).isEqualTo(AccessKeys.Role.ADMIN);
        assertThat(keys.bootstrapAdmin()).isEmpty();

        AccessKeys afterRestart = new AccessKeys(testDb.reopen(), NODE_SECRET, Clock.systemUTC(), new SecureRandom());
        assertThat(afterRestart.bootstrapAdmin()).isEmpty();
        assertThat(new String(afterRestart.resolve(admin.key().accessKeyId()).orElseThrow().secret(), StandardCharsets.UTF_8))
                .isEqualTo(admin.secretAccessKey());
    }

    @Test
    void readOnlyKeysDoNotCountAsAnAdminForBootstrap() {
        keys.create("auditor", AccessKeys.Role.READ_ONLY);
        assertThat(keys.bootstrapAdmin()).isPresent();
    }

    @Test
    void theLastAdminKeyCannotBeDeleted() {
        AccessKeys.NewAccessKey first = keys.bootstrapAdmin().orElseThrow();
        assertFails(() -> keys.delete(first.key().accessKeyId()), ErrorType.DELETE_CONFLICT);
        AccessKeys.NewAccessKey second = keys.create("second admin", AccessKeys.Role.ADMIN);
        keys.delete(first.key().accessKeyId());
        assertThat(keys.resolve(first.key().accessKeyId())).isEmpty();
        assertThat(keys.resolve(second.key().accessKeyId())).isPresent();
    }

    @Test
    void deletingAnUnknownKeyIsNotFound() {
        assertFails(() -> keys.delete("AKIAAAAAAAAAAAAAAAAA"), ErrorType.RESOURCE_NOT_FOUND);
    }

    @Test
    void listPagesThroughEveryKeyInIdOrder() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(keys.create("key-" + i, i % 2 == 0 ? AccessKeys.Role.ADMIN : AccessKeys.Role.READ_ONLY).key().accessKeyId());
        }
        List<String> listed = new ArrayList<>();
        Page<AccessKeys.AccessKey> page = keys.list(Page.Request.first(3));
        listed.addAll(page.items().stream().map(AccessKeys.AccessKey::accessKeyId).toList());
        while (page.hasMore()) {
            assertThat(page.items()).hasSize(3);
            page = keys.list(new Page.Request(3, page.nextToken()));
            listed.addAll(page.items().stream().map(AccessKeys.AccessKey::accessKeyId).toList());
        }
        assertThat(listed).isSorted().containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void aForgedNextTokenIsInvalidRequest() {
        assertFails(() -> keys.list(new Page.Request(3, "not-a-token!")), ErrorType.INVALID_REQUEST);
        assertFails(() -> keys.list(new Page.Request(3, "aGVsbG8")), ErrorType.INVALID_REQUEST);
    }

    @Test
    void namesMustBePrintableAndBounded() {
        assertFails(() -> keys.create("", AccessKeys.Role.ADMIN), ErrorType.INVALID_REQUEST);
        assertFails(() -> keys.create("x".repeat(AccessKeys.MAX_NAME_LENGTH + 1), AccessKeys.Role.ADMIN), ErrorType.INVALID_REQUEST);
        assertFails(() -> keys.create("line\nbreak", AccessKeys.Role.ADMIN), ErrorType.INVALID_REQUEST);
        assertThat(keys.list(Page.Request.first(10)).items()).isEmpty();
    }
}
