package io.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void createsMissingDirectoriesReadableByTheOwnerOnly() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("a/b/data"));

        assertThat(data.root()).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.root()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("a")))).isEqualTo("rwx------");
    }

    @Test
    void privateFilesAreWrittenWithMode0600AndPublicOnesWith0644() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));

        Path secret = data.writePrivate("keys/secret", "s3cr3t".getBytes());
        Path ca = data.writePublic("ca.pem", "pem".getBytes());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca))).isEqualTo("rw-r--r--");
        assertThat(secret).hasContent("s3cr3t");
    }

    @Test
    void rewritingAFileReplacesItAndLeavesNoTemporaryFileBehind() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data"));
        data.writePublic("endpoint.json", "old".getBytes());

        data.writePublic("endpoint.json", "new".getBytes());

        assertThat(data.resolve("endpoint.json")).hasContent("new");
        try (var files = Files.list(data.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("endpoint.json");
        }
    }

    @Test
    void anExistingDirectoryOpenToOthersIsLeftAsItIsButReportedAsNotOwnerOnly() throws Exception {
        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDirectory data = DataDirectory.open(shared);

        assertThat(data.isOwnerOnly()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxr-xr-x");
        assertThat(DataDirectory.open(temp.resolve("fresh")).isOwnerOnly()).isTrue();
    }

    @Test
    void refusesAPathThatIsAFile() throws Exception {
        Path file = Files.writeString(temp.resolve("plain"), "x");

        assertThatThrownBy(() -> DataDirectory.open(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasStackTraceContaining("is not a directory");
    }
}
