package io.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySecretTest {
    @TempDir
    Path temp;

    private final SecureRandom random = new SecureRandom();

    @Test
    void theEnvironmentVariableWinsOverTheFileAndTheDataDirectory() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));
        Path file = Files.writeString(temp.resolve("secret"), "from-the-file-0123456789\n");

        KeySecret secret = KeySecret.resolve(Map.of("RAMPART_KEY_SECRET", "from-the-environment-42"), file, data, random);

        assertThat(secret.source()).isEqualTo(KeySecret.Source.ENVIRONMENT);
        assertThat(new String(secret.chars())).isEqualTo("from-the-environment-42");
        assertThat(data.resolve("keys/secret")).doesNotExist();
    }

    @Test
    void aSecretFileIsReadWithoutItsTrailingNewline() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));
        Path file = Files.writeString(temp.resolve("secret"), "from-the-file-0123456789\n");

        KeySecret secret = KeySecret.resolve(Map.of(), file, data, random);

        assertThat(secret.source()).isEqualTo(KeySecret.Source.FILE);
        assertThat(new String(secret.chars())).isEqualTo("from-the-file-0123456789");
    }

    @Test
    void withoutConfigurationASecretIsGeneratedOnceWithMode0600AndReusedAfterwards() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));

        KeySecret first = KeySecret.resolve(Map.of(), null, data, random);
        KeySecret second = KeySecret.resolve(Map.of(), null, data, random);

        Path file = data.resolve("keys/secret");
        assertThat(first.source()).isEqualTo(KeySecret.Source.GENERATED);
        assertThat(second.source()).isEqualTo(KeySecret.Source.DATA_DIRECTORY);
        assertThat(second.chars()).isEqualTo(first.chars()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void theDescriptionAndToStringNeverContainTheSecret() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));

        KeySecret secret = KeySecret.resolve(Map.of("RAMPART_KEY_SECRET", "do-not-print-me-please"), null, data, random);

        assertThat(secret.describe()).doesNotContain("do-not-print-me-please").contains("RAMPART_KEY_SECRET");
        assertThat(secret.toString()).doesNotContain("do-not-print-me-please");
    }

    @Test
    void aShortSecretIsRefusedWithAHint() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));

        assertThatThrownBy(() -> KeySecret.resolve(Map.of("RAMPART_KEY_SECRET", "short"), null, data, random))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16")
                .hasMessageNotContaining("short'");
    }

    @Test
    void aMissingSecretFileIsAnErrorNamingTheFile() {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));
        Path missing = temp.resolve("nope");

        assertThatThrownBy(() -> KeySecret.resolve(Map.of(), missing, data, random))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }
}
