package dev.excon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: the notebook layer knows the library, the library never knows Jupyter. */
class ArchitectureTest {

    /** The library's compiled classes (not the tests). */
    private static JavaClasses library() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.excon");
    }

    /**
     * DJL's number overloads put the number in a tensor over a Java buffer that the garbage collector may free while
     * autograd still needs it (see {@link Scalars}): training then diverged at random. The library uses
     * {@link Scalars} instead. Checked on the bytecode, so a call through any variable or expression is caught.
     */
    @Test
    void noNumberOverloadsOfNDArrayArithmetic() {
        ArchRule rule = ArchRuleDefinition.noClasses().should().callMethod(NDArray.class, "mul", Number.class)
                .orShould().callMethod(NDArray.class, "muli", Number.class)
                .orShould().callMethod(NDArray.class, "div", Number.class)
                .orShould().callMethod(NDArray.class, "divi", Number.class)
                .orShould().callMethod(NDArray.class, "maximum", Number.class)
                .orShould().callMethod(NDArray.class, "minimum", Number.class)
                .orShould().callMethod(NDArray.class, "pow", Number.class)
                .orShould().callMethod(NDArray.class, "powi", Number.class)
                .because("autograd may read the number after the GC freed it; use dev.excon.Scalars");
        rule.check(library());
    }

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
