package dev.excon.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.excon.model.ExconNetwork;
import dev.excon.model.Tap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract every explainer keeps: output, no gradient or frozen state left behind, scoped memory, errors. */
class ExplainerContractTest {

    private static final int N = 3;

    private static List<Explainer> all() {
        return List.of(Explainers.gradCam(), Explainers.gradCam(true), Explainers.gradCam(Tap.output(3), false),
                Explainers.inputGradient(), Explainers.inputGradient(ChannelReduction.ABS_SUM),
                Explainers.integratedGradients(6, 4),
                IntegratedGradients.builder().optSteps(3).optBaseline(IntegratedGradients.Baseline.DATASET_MEAN)
                        .build(),
                Explainers.smoothGrad(3, 0.1f, 1));
    }

    @Test
    void mapsAreNormalisedOneChannelFloat32OnTheImagesDeviceForThePredictedClass() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, N, 51);
            for (Explainer e : all()) {
                try (Explanation ex = e.explain(net, x, Target.predicted())) {
                    for (NDArray map : new NDArray[] {ex.map(), ex.raw()}) {
                        assertEquals(new Shape(N, 1, Fixtures.SIZE, Fixtures.SIZE), map.getShape(), e.toString());
                        assertTrue(Fixtures.isFloat32(map), e.toString());
                        assertEquals(x.getDevice(), map.getDevice(), e.toString());
                    }
                    assertEquals(new Shape(N, Fixtures.CLASSES), ex.logits().getShape());
                    assertEquals(new Shape(N), ex.classes().getShape());
                    assertEquals(DataType.INT64, ex.classes().getDataType());
                    float[] map = ex.map().toFloatArray();
                    float[] raw = ex.raw().toFloatArray();
                    int plane = Fixtures.SIZE * Fixtures.SIZE;
                    for (int i = 0; i < N; i++) {
                        float min = Float.MAX_VALUE;
                        float max = -Float.MAX_VALUE;
                        float rawMin = Float.MAX_VALUE;
                        float rawMax = -Float.MAX_VALUE;
                        for (int q = i * plane; q < (i + 1) * plane; q++) {
                            min = Math.min(min, map[q]);
                            max = Math.max(max, map[q]);
                            rawMin = Math.min(rawMin, raw[q]);
                            rawMax = Math.max(rawMax, raw[q]);
                        }
                        assertTrue(rawMax > rawMin, e + ": image " + i + " has a non-constant raw map");
                        assertEquals(0f, min, 0f, e + ": image " + i + " minimum");
                        assertEquals(1f, max, 1e-3f, e + ": image " + i + " maximum");
                        assertTrue(max <= 1f, e + ": image " + i + " maximum " + max);
                    }
                    assertArrayEquals(Explainer.minMaxNormalize(ex.raw()).toFloatArray(), map, 0f);
                    // The predicted target is the argmax, and explaining those labels gives the same maps.
                    NDArray argmax = net.logits(x).argMax(1);
                    assertArrayEquals(argmax.toLongArray(), ex.classes().toLongArray(), e.toString());
                    assertArrayEquals(net.logits(x).toFloatArray(), ex.logits().toFloatArray(), 1e-5f, e.toString());
                    assertArrayEquals(map, e.explain(net, x, argmax).toFloatArray(), 1e-6f, e.toString());
                }
            }
        }
    }

    /**
     * Gradients accumulated by a training backward stay exactly as they were, and a fresh network's parameters get
     * none; the freeze state comes back; no collector stays open (opening one afterwards works).
     */
    @Test
    void noGradientIsLeftInAnyParameterAndNoCollectorStaysOpen() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, N, 52);
            NDArray y = m.create(new long[] {0, 1, 2});
            List<Parameter> params = net.trainableParameters();
            for (Explainer e : all()) {
                e.explain(net, x, y).close();
                assertFalse(net.isFrozen(), e.toString());
                params.forEach(p -> assertTrue(p.requiresGradient(), e + ": " + p.getName()));
                for (float[] g : Fixtures.gradients(net)) {
                    assertEquals(0f, Fixtures.maxAbs(g), e + ": a parameter has a gradient");
                }
            }
            // A training step's backward, then explanations before its optimizer step.
            try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
                gc.backward(net.logits(x).sum().add(net.embed(x, false).sum()));
            }
            List<float[]> accumulated = Fixtures.gradients(net);
            for (float[] g : accumulated) {
                assertTrue(Fixtures.maxAbs(g) > 0, "the training backward reached every parameter");
            }
            for (Explainer e : all()) {
                e.explainPredicted(net, x).close();
                List<float[]> after = Fixtures.gradients(net);
                for (int i = 0; i < after.size(); i++) {
                    assertArrayEquals(accumulated.get(i), after.get(i), 0f, e + ": " + params.get(i).getName());
                }
            }
            try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
                assertTrue(gc != null, "a collector can be opened after explaining");
            }
        }
    }

    @Test
    void aFrozenOrPartlyFrozenNetworkStaysSo() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, N, 53);
            net.freeze(true);
            for (Explainer e : all()) {
                e.explainPredicted(net, x).close();
                assertTrue(net.isFrozen(), e.toString());
                net.trainableParameters().forEach(p -> assertFalse(p.requiresGradient(), e + ": " + p.getName()));
            }
            // The joint protocol's classifier epoch: encoder frozen, classifier trainable.
            net.freeze(false);
            net.encoderParameters().forEach(p -> p.freeze(true));
            Explainers.gradCam().explainPredicted(net, x).close();
            Explainers.inputGradient().explainPredicted(net, x).close();
            net.encoderParameters().forEach(p -> assertFalse(p.requiresGradient(), p.getName()));
            net.classifierParameters().forEach(p -> assertTrue(p.requiresGradient(), p.getName()));
        }
    }

    @Test
    void aFailureHalfWayRestoresEverything() {
        try (ExconNetwork net = Fixtures.network(); NDManager caller = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(caller, N, 54);
            // Inside another collector: refused, and the outer collector goes on working.
            try (GradientCollector outer = net.manager().getEngine().newGradientCollector()) {
                IllegalStateException nested = assertThrows(IllegalStateException.class,
                        () -> Explainers.gradCam().explainPredicted(net, x));
                assertTrue(nested.getMessage().contains("cannot nest"), nested.getMessage());
                assertFalse(net.isFrozen());
                outer.backward(net.logits(x).sum());
            }
            assertTrue(Fixtures.maxAbs(Fixtures.gradients(net).get(0)) > 0, "the outer backward still worked");
            // A tap the network does not have fails inside the pass, after freezing and opening the collector.
            int arrays = caller.getManagedArrays().size();
            IllegalArgumentException badTap = assertThrows(IllegalArgumentException.class,
                    () -> Explainers.gradCam(Tap.lastConv(5), false).explainPredicted(net, x));
            assertTrue(badTap.getMessage().contains("3 stages"), badTap.getMessage());
            assertFalse(net.isFrozen());
            net.trainableParameters().forEach(p -> assertTrue(p.requiresGradient(), p.getName()));
            try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
                assertTrue(gc != null, "no collector was left open");
            }
            assertEquals(arrays, caller.getManagedArrays().size(), "the failed pass's intermediates were freed");
            assertSame(caller, x.getManager());
        }
    }

    /** After explaining, the caller's manager holds its arrays plus the result; the network's holds what it held. */
    @Test
    void nativeMemoryIsScopedToTheCall() {
        try (ExconNetwork net = Fixtures.network(); NDManager caller = net.manager().newSubManager();
                NDManager labels = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(caller, N, 55);
            NDArray y = labels.create(new long[] {3, 1, 4});
            for (Explainer e : all()) {
                e.explain(net, x, y).close(); // warm-up: lazily created engine state is not a leak
                int callerArrays = caller.getManagedArrays().size();
                int labelArrays = labels.getManagedArrays().size();
                int netArrays = net.manager().getManagedArrays().size();
                NDArray map = e.explain(net, x, y);
                assertEquals(callerArrays + 1, caller.getManagedArrays().size(), e + ": the map only");
                assertSame(caller, map.getManager());
                map.close();
                Explanation full = e.explain(net, x, Target.predicted());
                assertEquals(callerArrays + 4, caller.getManagedArrays().size(), e + ": the explanation's 4 arrays");
                full.close();
                if (e instanceof GradientExplainer g) {
                    NDArray a = g.attributions(net, x, Target.classes(y));
                    assertEquals(callerArrays + 1, caller.getManagedArrays().size(), e + ": the attributions only");
                    a.close();
                }
                assertEquals(callerArrays, caller.getManagedArrays().size(), e.toString());
                assertEquals(labelArrays, labels.getManagedArrays().size(), e + ": the labels' manager");
                assertEquals(netArrays, net.manager().getManagedArrays().size(), e + ": the network's manager");
                assertSame(caller, x.getManager());
                assertSame(labels, y.getManager());
            }
        }
    }

    @Test
    void inputsAreNotModified() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, N, 56);
            NDArray y = m.create(new long[] {4, 4, 0});
            float[] pixels = x.toFloatArray();
            for (Explainer e : all()) {
                e.explain(net, x, y).close();
                assertArrayEquals(pixels, x.toFloatArray(), 0f, e.toString());
                assertArrayEquals(new long[] {4, 4, 0}, y.toLongArray(), e.toString());
                assertFalse(x.hasGradient(), e + ": the images were not marked for gradients");
            }
            // Images that are themselves marked for gradients (e.g. by an attack) keep their gradient untouched.
            x.setRequiresGradient(true);
            for (Explainer e : all()) {
                e.explain(net, x, y).close();
                try (NDArray g = x.getGradient()) {
                    assertEquals(0f, Fixtures.maxAbs(g.toFloatArray()), e.toString());
                }
            }
        }
    }

    @Test
    void badArgumentsAreNamedWithTheirValues() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, N, 57);
            Explainer e = Explainers.gradCam();
            assertMessage(() -> e.explainPredicted(net, x.get(0)), "(3, 16, 16)", "expandDims");
            assertMessage(() -> e.explain(net, x, m.create(new long[] {1, 2})), "(2)", "3 images");
            assertMessage(() -> e.explain(net, x, m.create(new long[] {1, 7, 2})), "class 7", "index 1", "5 classes");
            assertMessage(() -> e.explain(net, x, m.create(new long[] {-1, 0, 0})), "class -1", "5 classes");
            assertMessage(() -> e.explain(net, x, m.create(new float[] {1, 2, 3})), "float32", "int64");
            assertMessage(() -> e.explainPredicted(net, x.toType(DataType.FLOAT64, false)), "float64");
            assertMessage(() -> e.explainPredicted(net, x.get(":, :1")), "1 channels", "takes 3");
            assertMessage(() -> Explainers.integratedGradients(0, 8), "steps=0");
            assertMessage(() -> Explainers.smoothGrad(4, -0.1f, 1), "noiseLevel=-0.1");
            assertMessage(() -> Explainers.byName("LIME"), "'LIME'", "GradCAM");
            assertFalse(net.isFrozen(), "validation failures leave the network alone");
            // int32 classes are accepted.
            NDArray int32 = m.create(new int[] {0, 1, 2});
            assertArrayEquals(e.explain(net, x, int32.toType(DataType.INT64, false)).toFloatArray(),
                    e.explain(net, x, int32).toFloatArray(), 0f);
        }
    }

    private static void assertMessage(Runnable call, String... fragments) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call::run);
        for (String f : fragments) {
            assertTrue(error.getMessage().contains(f), "'" + f + "' not in: " + error.getMessage());
        }
    }
}
