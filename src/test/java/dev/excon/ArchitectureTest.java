package dev.excon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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

    /** NDArray methods that copy tensor data to the JVM, or make libtorch wait for it (a data-dependent shape). */
    static final Set<String> HOST_READS = Set.of("toArray", "toFloatArray", "toDoubleArray", "toIntArray",
            "toLongArray", "toBooleanArray", "toByteArray", "toUint8Array", "toShortArray", "toUnsignedShortArray",
            "toUnsignedIntArray", "toStringArray", "toByteBuffer", "getFloat", "getDouble", "getInt", "getLong",
            "getBoolean", "getByte", "getUint8", "toString", "toDebugString", "contentEquals", "allClose", "encode",
            "nonzero", "booleanMask");

    /**
     * Each host read in a training step makes the host wait for the GPU, so the step's packages read only through
     * {@link HostReads}, whose per-thread count {@code HostReadsPerStepTest} asserts. Checked on the bytecode, so a
     * call through any NDArray type or expression is caught (string concatenation of an array is not: it compiles to
     * an invokedynamic). {@code MapComparison} compares finished maps on the host and is no part of a step.
     */
    @Test
    void trainingStepReadsTensorsOnlyThroughHostReads() {
        DescribedPredicate<JavaMethodCall> read = DescribedPredicate.describe("a read of NDArray data to the host",
                call -> HOST_READS.contains(call.getName()) && (call.getTargetOwner().isAssignableTo(NDArray.class)
                        || call.getTargetOwner().isEquivalentTo(NDArrays.class)));
        ArchRule rule = ArchRuleDefinition.noClasses()
                .that().resideInAnyPackage("dev.excon.model..", "dev.excon.saliency..", "dev.excon.augment..",
                        "dev.excon.loss..", "dev.excon.train..")
                .and().doNotHaveFullyQualifiedName("dev.excon.saliency.MapComparison")
                .should().callMethodWhere(read)
                .because("each read waits for the GPU; read through dev.excon.HostReads so the count per step is "
                        + "known and tested");
        rule.check(library());
    }

    /**
     * The packages from the bottom up; each may use only those below it. Explanation masking (augment) runs the
     * network and its explainer, so augment sits above model and saliency; the notebook layer (magics/) is on top.
     */
    static final List<String> LAYERS = List.of("data", "model", "saliency", "augment", "loss", "train", "eval",
            "report", "experiment", "cli", "notebook");

    /** Checked on the bytecode with ArchUnit: an import, a fully qualified name or a lambda all count. */
    @Test
    void packagesDependOnlyDownward() {
        com.tngtech.archunit.library.Architectures.LayeredArchitecture rule =
                com.tngtech.archunit.library.Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                        .layer("root").definedBy("dev.excon");
        for (String layer : LAYERS) {
            rule = rule.layer(layer).definedBy("dev.excon." + layer + "..");
        }
        List<String> all = new java.util.ArrayList<>(List.of("root"));
        all.addAll(LAYERS);
        for (int i = 0; i < all.size(); i++) {
            List<String> above = all.subList(i + 1, all.size());
            rule = above.isEmpty() ? rule.whereLayer(all.get(i)).mayNotBeAccessedByAnyLayer()
                    : rule.whereLayer(all.get(i)).mayOnlyBeAccessedByLayers(above.toArray(new String[0]));
        }
        rule.check(library());
    }

    /** The library (everything but the notebook layer) never reaches the notebook layer, JJava or ZeroMQ. */
    @Test
    void theLibraryDoesNotKnowTheNotebookLayer() {
        ArchRule rule = ArchRuleDefinition.noClasses().that().resideOutsideOfPackage("dev.excon.notebook..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.excon.notebook..", "org.dflib.jjava..",
                        "org.zeromq..", "zmq..")
                .because("a user of the library alone must not need Jupyter");
        rule.check(library());
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
