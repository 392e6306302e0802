package io.rampart.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The key-encryption secret: what the CA private key (and any other key Rampart keeps) is encrypted with at rest.
 *
 * <p>Resolved in this order: the environment variable {@value #ENVIRONMENT_VARIABLE}; else the file given with
 * {@code --key-secret-file}; else {@code DATA/keys/secret}, generated (256 random bits, mode 0600) on first start.
 * The generated form keeps the secret beside the data, which protects a stolen database or backup of the database
 * alone but not a copy of the whole data directory; production keeps the secret elsewhere.
 */
public final class KeySecret {
    /** The environment variable that, when set, holds the secret. */
    public static final String ENVIRONMENT_VARIABLE = "RAMPART_KEY_SECRET";
    /** Shorter secrets are refused: they could be guessed offline against a stolen encrypted key. */
    static final int MINIMUM_LENGTH = 16;

    /** Where the secret came from; logged at start-up (the secret itself never is). */
    public enum Source {
        ENVIRONMENT, FILE, GENERATED, DATA_DIRECTORY
    }

    private final char[] secret;
    private final Source source;
    private final Path file;

    private KeySecret(char[] secret, Source source, Path file) {
        this.secret = secret;
        this.source = source;
        this.file = file;
    }

    /**
     * Resolves the secret as described on the class.
     *
     * @param environment the process environment (passed in so tests and two in-JVM nodes stay independent)
     * @param secretFile  {@code --key-secret-file}, or null
     */
    public static KeySecret resolve(Map<String, String> environment, Path secretFile, DataDirectory data,
                                    SecureRandom random) {
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null) {
            return new KeySecret(validated(fromEnvironment, "$" + ENVIRONMENT_VARIABLE), Source.ENVIRONMENT, null);
        }
        if (secretFile != null) {
            return new KeySecret(read(secretFile), Source.FILE, secretFile);
        }
        Path generated = data.resolve(DataDirectory.GENERATED_SECRET_FILE);
        if (Files.exists(generated)) {
            return new KeySecret(read(generated), Source.DATA_DIRECTORY, generated);
        }
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        data.writePrivate(DataDirectory.GENERATED_SECRET_FILE, (value + "\n").getBytes(StandardCharsets.UTF_8));
        return new KeySecret(value.toCharArray(), Source.GENERATED, generated);
    }

    private static char[] read(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            // A trailing newline is how editors and `echo` end a file, not part of the secret.
            return validated(content.strip(), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("key secret file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key secret file " + file, e);
        }
    }

    private static char[] validated(String value, String origin) {
        if (value.length() < MINIMUM_LENGTH) {
            throw new IllegalArgumentException("the key-encryption secret from " + origin + " has " + value.length()
                    + " characters; give at least " + MINIMUM_LENGTH + " (e.g. 'openssl rand -base64 32')");
        }
        return value.toCharArray();
    }

    /** A copy of the secret; callers should clear it when done. */
    public char[] chars() {
        return secret.clone();
    }

    /** Where the secret came from. */
    public Source source() {
        return source;
    }

    /** A description safe to log: where the secret came from, never what it is. */
    public String describe() {
        return switch (source) {
            case ENVIRONMENT -> "$" + ENVIRONMENT_VARIABLE;
            case FILE -> "file " + file;
            case GENERATED -> "generated into " + file + " (kept beside the data; see README)";
            case DATA_DIRECTORY -> file + " (kept beside the data; see README)";
        };
    }

    @Override
    public String toString() {
        return "KeySecret[" + source + "]";
    }
}
