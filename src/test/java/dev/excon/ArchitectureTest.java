package dev.excon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: the notebook layer knows the library, the library never knows Jupyter. */
class ArchitectureTest {

    @Test
    void theLibraryDoesNotKnowTheNotebookLayer() throws IOException {
        Path lib = Path.of("src/main/java");
        assertTrue(Files.isDirectory(lib), "run from the project root");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(lib)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String s = Files.readString(p);
                    return s.contains("org.dflib.jjava") || s.contains("dev.excon.notebook");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders, "library files that import the notebook layer or JJava");
    }

    @Test
    void everyLibraryPackageIsDocumented() throws IOException {
        try (Stream<Path> dirs = Files.walk(Path.of("src/main/java/dev/excon"))) {
            List<String> undocumented = dirs.filter(Files::isDirectory)
                    .filter(d -> {
                        try (Stream<Path> f = Files.list(d)) {
                            return f.anyMatch(p -> p.toString().endsWith(".java"));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .filter(d -> !Files.exists(d.resolve("package-info.java")))
                    .map(Path::toString).toList();
            assertEquals(List.of(), undocumented, "packages without package-info.java");
        }
    }
}
