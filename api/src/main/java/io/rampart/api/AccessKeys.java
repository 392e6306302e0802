package io.rampart.api;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.store.Database;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The access keys that may sign API requests (table {@code api_access_keys}, owned by this module).
 *
 * <p>Ids look like AWS's ({@code AKIA} + 16 upper-case letters and digits), secrets are 40 characters, both
 * from a {@link SecureRandom}. A secret is shown once, when its key is created, and kept only sealed with
 * AES-256-GCM under a key derived (HKDF-SHA256) from the node secret, so a copy of the database alone does
 * not let anyone sign requests. Secrets never appear in logs or in {@code toString()}.
 */
public final class AccessKeys {
    /** What a key may do: ADMIN calls anything, READ_ONLY only Describe/List/Get-style operations. */
    public enum Role {
        ADMIN,
        READ_ONLY
    }

    /** A stored access key, without its secret. */
    public record AccessKey(String accessKeyId, String name, Role role, Instant createdAt) {
    }

    /** A key just created: the only moment its secret is known in clear. */
    public record NewAccessKey(AccessKey key, String secretAccessKey) {
        @Override
        public String toString() {
            return "NewAccessKey[" + key + ", secretAccessKey=<redacted>]";
        }
    }

    /** What SigV4 verification needs for a key id: who it is, and the secret to recompute the signature. */
    record Resolved(Caller caller, byte[] secret) {
        @Override
        public String toString() {
            return "Resolved[" + caller + ", secret=<redacted>]";
        }
    }

    static final int MAX_NAME_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@+=,:/-]{1," + MAX_NAME_LENGTH + "}");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern ID = Pattern.compile("AKIA[A-Z2-7]{16}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final String BOOTSTRAP_NAME = "admin";

    private final Database database;
    private final SecretKey sealingKey;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * Opens the key table (migrating it if needed). {@code nodeSecret} (at least 16 bytes, kept by the node
     * outside the database) is what the sealing key is derived from.
     */
    public AccessKeys(Database database, byte[] nodeSecret, Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (nodeSecret.length < 16) {
            throw new IllegalArgumentException("node secret must be at least 16 bytes, got " + nodeSecret.length);
        }
        this.sealingKey = new SecretKeySpec(hkdf(nodeSecret, "rampart api access keys".getBytes(StandardCharsets.UTF_8),
                "AES-256-GCM secret sealing".getBytes(StandardCharsets.UTF_8)), "AES");
        database.migrate("api");
    }

    /** Creates a key; the returned value is the only place its secret is ever shown. */
    public NewAccessKey create(String name, Role role) {
        validateName(name);
        Objects.requireNonNull(role, "role");
        return database.inTransaction(connection -> insert(connection, name, role));
    }

    /**
     * Creates the first admin key (named "admin") if the node has no admin key yet, and returns it; empty when
     * one exists. Whoever calls this must hand the secret to the operator (the server writes it to
     * {@code DATA/credentials}); it cannot be read back later.
     */
    public Optional<NewAccessKey> bootstrapAdmin() {
        return database.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM api_access_keys WHERE role = ?")) {
                count.setString(1, Role.ADMIN.name());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(insert(connection, BOOTSTRAP_NAME, Role.ADMIN));
        });
    }

    /** Lists keys (never secrets) in access key id order. */
    public Page<AccessKey> list(Page.Request page) {
        String after = page.nextToken() == null ? "" : decodeToken(page.nextToken());
        return database.query(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT access_key_id, name, role, created_at FROM api_access_keys WHERE access_key_id > ? ORDER BY access_key_id LIMIT ?")) {
                select.setString(1, after);
                select.setInt(2, page.maxResults() + 1);
                List<AccessKey> keys = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        keys.add(new AccessKey(rows.getString(1), rows.getString(2), Role.valueOf(rows.getString(3)),
                                Instant.ofEpochMilli(rows.getLong(4))));
                    }
                }
                if (keys.size() <= page.maxResults()) {
                    return new Page<>(keys, null);
                }
                List<AccessKey> items = keys.subList(0, page.maxResults());
                return new Page<>(items, encodeToken(items.getLast().accessKeyId()));
            }
        });
    }

    /** Deletes a key; the last admin key cannot be deleted, so the node never locks its operators out. */
    public void delete(String accessKeyId) {
        database.inTransaction(connection -> {
            Role role = roleOf(connection, accessKeyId)
                    .orElseThrow(() -> RampartException.notFound("access key " + accessKeyId + " does not exist"));
            if (role == Role.ADMIN) {
                try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM api_access_keys WHERE role = ?")) {
                    count.setString(1, Role.ADMIN.name());
                    try (ResultSet rows = count.executeQuery()) {
                        rows.next();
                        if (rows.getLong(1) <= 1) {
                            throw new RampartException(ErrorType.DELETE_CONFLICT,
                                    "access key " + accessKeyId + " is the last admin key; create another admin key first");
                        }
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM api_access_keys WHERE access_key_id = ?")) {
                delete.setString(1, accessKeyId);
                delete.executeUpdate();
            }
            return null;
        });
    }

    /** The caller and clear secret of a key id, for signature verification; empty for an unknown id. */
    Optional<Resolved> resolve(String accessKeyId) {
        if (!ID.matcher(accessKeyId).matches()) {
            return Optional.empty();
        }
        return database.query(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name, role, secret_sealed FROM api_access_keys WHERE access_key_id = ?")) {
                select.setString(1, accessKeyId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    Caller caller = new Caller(accessKeyId, rows.getString(1), Role.valueOf(rows.getString(2)));
                    return Optional.of(new Resolved(caller, unseal(accessKeyId, rows.getString(3))));
                }
            }
        });
    }

    private NewAccessKey insert(Connection connection, String name, Role role) throws SQLException {
        String id = "AKIA" + randomString(ID_ALPHABET, 16);
        String secret = randomString(SECRET_ALPHABET, 40);
        Instant now = clock.instant();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO api_access_keys (access_key_id, name, role, secret_sealed, created_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, name);
            insert.setString(3, role.name());
            insert.setString(4, seal(id, secret.getBytes(StandardCharsets.UTF_8)));
            insert.setLong(5, now.toEpochMilli());
            insert.executeUpdate();
        }
        return new NewAccessKey(new AccessKey(id, name, role, Instant.ofEpochMilli(now.toEpochMilli())), secret);
    }

    private static Optional<Role> roleOf(Connection connection, String accessKeyId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT role FROM api_access_keys WHERE access_key_id = ?")) {
            select.setString(1, accessKeyId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(Role.valueOf(rows.getString(1))) : Optional.empty();
            }
        }
    }

    private static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw RampartException.invalidRequest("access key name must be 1 to " + MAX_NAME_LENGTH
                    + " letters, digits, spaces or ._@+=,:/- characters");
        }
    }

    private String randomString(String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    private String seal(String accessKeyId, byte[] secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(accessKeyId.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(secret);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is available on every JDK", e);
        }
    }

    private byte[] unseal(String accessKeyId, String sealed) {
        byte[] bytes = Base64.getDecoder().decode(sealed);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealingKey, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(accessKeyId.getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            // Wrong node secret, or a row copied from another key: the stored secret cannot be trusted.
            throw new RampartException(ErrorType.INTERNAL_FAILURE,
                    "the secret of access key " + accessKeyId + " cannot be unsealed: is the node secret the one it was created with?", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is available on every JDK", e);
        }
    }

    /** HKDF-SHA256 (RFC 5869), one 32-byte block. */
    private static byte[] hkdf(byte[] inputKey, byte[] salt, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(inputKey);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            byte[] okm = mac.doFinal();
            Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is available on every JDK", e);
        }
    }

    private static String encodeToken(String accessKeyId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(accessKeyId.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decodeToken(String token) {
        String id;
        try {
            id = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw RampartException.invalidRequest("nextToken is not a token this API returned");
        }
        if (!ID.matcher(id).matches()) {
            throw RampartException.invalidRequest("nextToken is not a token this API returned");
        }
        return id;
    }
}
