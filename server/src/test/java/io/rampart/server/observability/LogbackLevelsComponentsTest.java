package io.rampart.server.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LogbackLevelsComponentsTest {
    /** A module added without its component name could not have its level set through the API. */
    @Test
    void everyModulesPackageIsASettableComponent() throws IOException {
        Path repository = Path.of("").toAbsolutePath().getParent();
        List<String> packages;
        try (Stream<Path> modules = Files.list(repository)) {
            packages = modules.map(module -> module.resolve("src/main/java/io/rampart"))
                    .filter(Files::isDirectory)
                    .flatMap(LogbackLevelsComponentsTest::children)
                    .filter(name -> !name.equals("bench"))
                    .distinct().toList();
        }

        assertThat(packages).isNotEmpty().contains("broker", "defender");
        assertThat(LogbackLevels.COMPONENTS).containsAll(packages);
    }

    private static Stream<String> children(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString()).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
