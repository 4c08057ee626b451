package dev.excon.loss;

import static dev.excon.loss.LossFixtures.assertClose;
import static dev.excon.loss.LossFixtures.bools;
import static dev.excon.loss.LossFixtures.create;
import static dev.excon.loss.LossFixtures.doubles;
import static dev.excon.loss.LossFixtures.labels;
import static dev.excon.loss.LossFixtures.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.excon.loss.LossFixtures.Batch;
import dev.excon.loss.LossFixtures.Mode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Properties of the loss that hold whatever the inputs: invariances, orderings, stability, API contracts. */
class SupConLossPropertyTest {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void permutingSamplesConsistentlyLeavesTheLossUnchanged(Mode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.pad(LossFixtures.random(mode, 8, 3, 6, 3, 5), 3, false, 6, new int[11]);
            SupConLoss loss = mode.loss(0.1f, 0.07f);
            double before = scalar(b.loss(m, loss, DataType.FLOAT64));
            SplittableRandom r = new SplittableRandom(17);
            for (int trial = 0; trial < 3; trial++) {
                int[] perm = permutation(b.size(), r);
                Batch p = new Batch(permute(b.view1(), perm), permute(b.view2(), perm), permute(b.labels(), perm),
                        permute(b.background(), perm), permute(b.valid(), perm));
                assertClose(before, scalar(p.loss(m, loss, DataType.FLOAT64)), 1e-12, mode + " trial " + trial);
            }
            // Swapping the two views is a permutation of the 2N rows too.
            Batch swapped = new Batch(b.view2(), b.view1(), b.labels(), b.background(), b.valid());
            assertClose(before, scalar(swapped.loss(m, loss, DataType.FLOAT64)), 1e-12, mode + " views swapped");
        }
    }

    @Test
    void permutingOnlyTheLabelsChangesTheLoss() {
        // The counterpart of the invariance above: the loss does depend on which row carries which label.
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.random(Mode.SUPERVISED, 8, 0, 6, 3, 5);
            int[] shifted = new int[8];
            for (int i = 0; i < 8; i++) {
                shifted[i] = b.labels()[(i + 1) % 8];
            }
            double before = scalar(b.loss(m, SupConLoss.reference(), DataType.FLOAT64));
            double after = scalar(new Batch(b.view1(), b.view2(), shifted, null, null)
                    .loss(m, SupConLoss.reference(), DataType.FLOAT64));
            assertTrue(Math.abs(before - after) > 1e-6, "labels do not matter? " + before + " vs " + after);
        }
    }

    @Test
    void pullingPositivesTogetherLowersTheLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            SplittableRandom r = new SplittableRandom(3);
            int n = 12;
            int classes = 3;
            int d = 8;
            double[][] prototype = new double[classes][];
            for (int c = 0; c < classes; c++) {
                prototype[c] = LossFixtures.unit(d, r);
            }
            int[] y = new int[n];
            double[][] clustered1 = new double[n][];
            double[][] clustered2 = new double[n][];
            double[][] random1 = new double[n][];
            double[][] random2 = new double[n][];
            for (int i = 0; i < n; i++) {
                y[i] = i % classes;
                clustered1[i] = prototype[y[i]];
                clustered2[i] = prototype[y[i]];
                random1[i] = LossFixtures.unit(d, r);
                random2[i] = LossFixtures.unit(d, r);
            }
            for (Mode mode : new Mode[] {Mode.SUPERVISED, Mode.SUPERVISED_BACKGROUND_NEGATIVES}) {
                SupConLoss loss = mode.loss(0.1f, 0.07f);
                double together = scalar(new Batch(clustered1, clustered2, y, null, null)
                        .loss(m, loss, DataType.FLOAT32));
                double apart = scalar(new Batch(random1, random2, y, null, null).loss(m, loss, DataType.FLOAT32));
                assertTrue(together < apart, mode + ": identical positives " + together + " vs random " + apart);
            }
            // SimCLR: identical views beat random second views.
            double same = scalar(SupConLoss.reference().simclr(create(m, random1, DataType.FLOAT32),
                    create(m, random1, DataType.FLOAT32)));
            double other = scalar(SupConLoss.reference().simclr(create(m, random1, DataType.FLOAT32),
                    create(m, random2, DataType.FLOAT32)));
            assertTrue(same < other, "SimCLR: identical views " + same + " vs random " + other);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void identicalEmbeddingsAtLowTemperatureGiveTheExactFiniteLoss(Mode mode) {
        // Every logit equals 1/t = 20, so every log-probability is -log(2N - 1) and L = (t/b) log(2N - 1).
        try (NDManager m = NDManager.newBaseManager()) {
            Batch random = LossFixtures.random(mode, 6, 2, 4, 2, 1);
            int n = random.size();
            double[][] same = new double[n][];
            for (int i = 0; i < n; i++) {
                same[i] = random.view1()[0];
            }
            Batch b = new Batch(same, same, random.labels(), random.background(), null);
            float t = 0.05f;
            double want = (double) t / 0.07f * Math.log(2 * n - 1);
            NDArray v1 = create(m, same, DataType.FLOAT32);
            NDArray v2 = create(m, same, DataType.FLOAT32);
            v1.setRequiresGradient(true);
            v2.setRequiresGradient(true);
            double got;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray l = mode.loss(t, 0.07f).compute(v1, v2, labels(m, b.labels()), bools(m, b.background()),
                        null);
                got = scalar(l);
                gc.backward(l);
            }
            assertClose(want, got, 1e-6, mode.toString());
            assertClose(want, b.reference(t, 0.07f, mode.backgroundAnchor), 1e-12, "plain-Java reference");
            for (double g : doubles(v1.getGradient())) {
                assertTrue(Double.isFinite(g), "gradient " + g);
            }
            for (double g : doubles(v2.getGradient())) {
                assertTrue(Double.isFinite(g), "gradient " + g);
            }
        }
    }

    @Test
    void antipodalPositivesAtVeryLowTemperatureStayFiniteAndExact() {
        // Positive pairs pointing in opposite directions at t = 0.01: logits span -100..100.
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 5, 2, 3, 2, 4);
            double[][] v2 = LossFixtures.copy(b.view2());
            for (int i = 0; i < 5; i++) {
                for (int k = 0; k < v2[i].length; k++) {
                    v2[i][k] = -b.view1()[i][k];
                }
            }
            Batch antipodal = new Batch(b.view1(), v2, b.labels(), b.background(), null);
            SupConLoss loss = Mode.SUPERVISED_BACKGROUND_NEGATIVES.loss(0.01f, 0.07f);
            double want = antipodal.reference(0.01f, 0.07f, false);
            double got32 = scalar(antipodal.loss(m, loss, DataType.FLOAT32));
            assertTrue(Double.isFinite(got32), "float32 loss " + got32);
            assertClose(want, got32, 1e-5, "float32");
            assertClose(want, scalar(antipodal.loss(m, loss, DataType.FLOAT64)), 1e-10, "float64");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"SUPERVISED_BACKGROUND_NEGATIVES", "SIMCLR_BACKGROUND_NEGATIVES"})
    void addingBackgroundNegativesNeverLowersTheLossOfRealAnchors(Mode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (long seed = 1; seed <= 5; seed++) {
                Batch with = LossFixtures.random(mode, 6, (int) seed, 5, 2, seed);
                int real = 6;
                Batch without = new Batch(java.util.Arrays.copyOf(with.view1(), real),
                        java.util.Arrays.copyOf(with.view2(), real),
                        with.labels() == null ? null : java.util.Arrays.copyOf(with.labels(), real),
                        new boolean[real], null);
                SupConLoss loss = mode.loss(0.1f, 0.07f);
                double lossWithout = scalar(without.loss(m, loss, DataType.FLOAT64));
                double lossWith = scalar(with.loss(m, loss, DataType.FLOAT64));
                assertTrue(lossWith > lossWithout, "seed " + seed + ": " + lossWith + " <= " + lossWithout);
                // And anchor by anchor: each real anchor's denominator only gains terms.
                double[] termsWithout = perAnchor(m, loss, without);
                double[] termsWith = perAnchor(m, loss, with);
                int n = with.size();
                for (int i = 0; i < real; i++) {
                    assertTrue(termsWith[i] > termsWithout[i], "view 1 anchor " + i);
                    assertTrue(termsWith[n + i] > termsWithout[real + i], "view 2 anchor " + i);
                }
            }
        }
    }

    @Test
    void theBackgroundFlagOnlyMattersWhenThereIsBackground() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.random(Mode.SUPERVISED, 8, 0, 5, 3, 12);
            Batch noneFlagged = new Batch(b.view1(), b.view2(), b.labels(), new boolean[8], null);
            double plain = scalar(b.loss(m, SupConLoss.reference(), DataType.FLOAT64));
            for (boolean anchor : new boolean[] {false, true}) {
                SupConLoss loss = SupConLoss.builder().optBackgroundAnchor(anchor).build();
                assertClose(plain, scalar(b.loss(m, loss, DataType.FLOAT64)), 1e-12, "no mask, anchor=" + anchor);
                assertClose(plain, scalar(noneFlagged.loss(m, loss, DataType.FLOAT64)), 1e-12, "all false");
            }
            Batch withBackground = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 6, 3, 5, 3, 12);
            double negatives = scalar(withBackground.loss(m, Mode.SUPERVISED_BACKGROUND_NEGATIVES.loss(0.1f, 0.07f),
                    DataType.FLOAT64));
            double anchors = scalar(withBackground.loss(m, Mode.SUPERVISED_BACKGROUND_ANCHOR.loss(0.1f, 0.07f),
                    DataType.FLOAT64));
            assertTrue(Math.abs(negatives - anchors) > 1e-6, "the two background modes must differ");
        }
    }

    @Test
    void backgroundAsAClassIgnoresTheLabelsOfBackgroundRows() {
        // With labels, background rows form one class of their own whatever their label entries say, as the
        // reference's label C does; a background row sharing a real label is not that class's positive.
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_ANCHOR, 6, 3, 5, 2, 2);
            int[] relabelled = b.labels().clone();
            for (int i = 6; i < 9; i++) {
                relabelled[i] = i % 2; // real classes, even different ones
            }
            SupConLoss loss = Mode.SUPERVISED_BACKGROUND_ANCHOR.loss(0.1f, 0.07f);
            double want = b.reference(0.1f, 0.07f, true);
            Batch other = new Batch(b.view1(), b.view2(), relabelled, b.background(), null);
            assertClose(want, scalar(other.loss(m, loss, DataType.FLOAT64)), 1e-12, "relabelled background");
        }
    }

    @Test
    void numericMasksAreReadAsNonZeroIsTrue() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.pad(LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 5, 2, 4, 2, 9), 3,
                    false, 10, new int[7]);
            SupConLoss loss = SupConLoss.reference();
            double want = scalar(b.loss(m, loss, DataType.FLOAT32));
            NDArray v1 = create(m, b.view1(), DataType.FLOAT32);
            NDArray v2 = create(m, b.view2(), DataType.FLOAT32);
            NDArray y = labels(m, b.labels());
            NDArray bg = bools(m, b.background());
            NDArray valid = bools(m, b.valid());
            for (DataType t : new DataType[] {DataType.INT32, DataType.INT64, DataType.FLOAT32, DataType.UINT8}) {
                double got = scalar(loss.compute(v1, v2, y.toType(t == DataType.UINT8 ? DataType.INT32 : DataType.INT64,
                        false), bg.toType(t, false), valid.toType(t, false).mul(3)));
                assertClose(want, got, 1e-6, "masks as " + t);
            }
        }
    }

    @Test
    void noAnchorMeansZeroLossAndZeroGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 3, 2, 4, 2, 6);
            NDArray v1 = create(m, b.view1(), DataType.FLOAT32);
            NDArray v2 = create(m, b.view2(), DataType.FLOAT32);
            v1.setRequiresGradient(true);
            v2.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                // Every row invalid, and separately every valid row a background negative: nothing is an anchor.
                NDArray none = SupConLoss.reference().compute(v1, v2, labels(m, b.labels()),
                        bools(m, b.background()), m.zeros(new Shape(5), DataType.BOOLEAN));
                NDArray onlyBackground = SupConLoss.reference().compute(v1, v2, labels(m, b.labels()),
                        m.ones(new Shape(5), DataType.BOOLEAN), null);
                assertEquals(0.0, scalar(none), 0.0);
                assertEquals(0.0, scalar(onlyBackground), 0.0);
                gc.backward(none.add(onlyBackground));
            }
            assertEquals(0.0, scalar(v1.getGradient().abs().sum()), 0.0);
        }
    }

    @Test
    void inputsStayWithTheCallerAndOnlyTheResultIsAdded() {
        try (NDManager m = NDManager.newBaseManager(); NDManager other = NDManager.newBaseManager()) {
            Batch b = LossFixtures.pad(LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 5, 2, 4, 2, 9), 3,
                    false, 10, new int[7]);
            NDArray v1 = create(m, b.view1(), DataType.FLOAT32);
            NDArray v2 = create(m, b.view2(), DataType.FLOAT32);
            NDArray y = labels(other, b.labels());
            NDArray bg = bools(other, b.background());
            NDArray valid = bools(other, b.valid());
            int before = m.getManagedArrays().size();
            int otherBefore = other.getManagedArrays().size();
            NDArray l = SupConLoss.reference().compute(v1, v2, y, bg, valid);
            assertSame(m, l.getManager());
            assertEquals(before + 1, m.getManagedArrays().size(), "intermediates piled up in the caller's manager");
            assertEquals(otherBefore, other.getManagedArrays().size());
            for (NDArray x : new NDArray[] {v1, v2, y, bg, valid}) {
                assertFalse(x.isReleased());
            }
            assertSame(m, v1.getManager());
            assertSame(other, y.getManager());
            assertEquals(b.size(), y.toLongArray().length);
        }
    }

    @Test
    void invalidInputsAreRejectedWithTheActualShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            SupConLoss loss = SupConLoss.reference();
            NDArray a = m.zeros(new Shape(8, 128));
            NDArray b = m.zeros(new Shape(6, 128));
            assertEquals("view1 (8, 128) and view2 (6, 128) must have the same shape: row i of each is sample i",
                    assertThrows(IllegalArgumentException.class, () -> loss.simclr(a, b)).getMessage());
            NDArray y6 = m.zeros(new Shape(6), DataType.INT64);
            assertEquals("labels (6) must be (8), one entry per row of view1 (8, 128)",
                    assertThrows(IllegalArgumentException.class, () -> loss.supervised(a, a, y6)).getMessage());
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> loss.supervised(a, a, m.zeros(new Shape(8)))).getMessage();
            assertTrue(msg.contains("labels must be an integer type") && msg.contains("float32"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(a, a, null, m.zeros(new Shape(8, 1)), null)).getMessage();
            assertTrue(msg.startsWith("background (8, 1) must be (8)"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(a, a, null, null, m.zeros(new Shape(7)))).getMessage();
            assertTrue(msg.startsWith("valid (7) must be (8)"), msg);
            msg = assertThrows(IllegalArgumentException.class, () -> loss.simclr(m.zeros(new Shape(8, 2, 3)),
                    m.zeros(new Shape(8, 2, 3)))).getMessage();
            assertTrue(msg.contains("(8, 2, 3)"), msg);
            msg = assertThrows(IllegalArgumentException.class, () -> loss.simclr(a, a.toType(DataType.FLOAT64, false)))
                    .getMessage();
            assertTrue(msg.contains("float32") && msg.contains("float64"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> loss.simclr(a.toType(DataType.INT32, false), a.toType(DataType.INT32, false))).getMessage();
            assertTrue(msg.contains("int32"), msg);
            assertThrows(IllegalArgumentException.class, () -> loss.supervised(a, a, null));
            assertThrows(IllegalArgumentException.class, () -> loss.simclr(null, a));
        }
    }

    @Test
    void builderDefaultsValidationAndToString() {
        SupConLoss loss = SupConLoss.builder().build();
        assertEquals(0.1f, loss.temperature());
        assertEquals(0.07f, loss.baseTemperature());
        assertFalse(loss.backgroundAnchor());
        assertEquals("SupConLoss{temperature=0.1, baseTemperature=0.07, backgroundAnchor=false}", loss.toString());
        assertEquals("SupConLoss{temperature=0.5, baseTemperature=0.5, backgroundAnchor=true}",
                SupConLoss.builder().optTemperature(0.5f).optBaseTemperature(0.5f).optBackgroundAnchor(true).build()
                        .toString());
        for (float bad : new float[] {0f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> SupConLoss.builder().optTemperature(bad).build()).getMessage();
            assertTrue(msg.contains("temperature") && msg.contains(Float.toString(bad)), msg);
            assertThrows(IllegalArgumentException.class, () -> SupConLoss.builder().optBaseTemperature(bad).build());
        }
    }

    private static double[] perAnchor(NDManager m, SupConLoss loss, Batch b) {
        return doubles(loss.perAnchor(create(m, b.view1(), DataType.FLOAT64), create(m, b.view2(), DataType.FLOAT64),
                labels(m, b.labels()), bools(m, b.background()), bools(m, b.valid())));
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double[][] permute(double[][] x, int[] p) {
        double[][] y = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            y[i] = x[p[i]];
        }
        return y;
    }

    private static int[] permute(int[] x, int[] p) {
        if (x == null) {
            return null;
        }
        int[] y = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            y[i] = x[p[i]];
        }
        return y;
    }

    private static boolean[] permute(boolean[] x, int[] p) {
        if (x == null) {
            return null;
        }
        boolean[] y = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            y[i] = x[p[i]];
        }
        return y;
    }
}
