package dev.excon.loss;

import static dev.excon.loss.LossFixtures.assertClose;
import static dev.excon.loss.LossFixtures.doubles;
import static dev.excon.loss.LossFixtures.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {

    @Test
    void handComputedCase() {
        // Row 0: logits (0, ln 3), label 1: softmax = (1/4, 3/4), loss = -ln(3/4) = ln(4/3).
        // Row 1: logits (ln 2, 0, ln 5)... label 0: softmax(0) = 2 / (2 + 1 + 5) = 1/4, loss = ln 4.
        // Mean: (ln(4/3) + ln 4) / 2 = ln(16/3) / 2 = 0.8369882167858358.
        try (NDManager m = NDManager.newBaseManager()) {
            double ln2 = Math.log(2);
            double ln3 = Math.log(3);
            double ln5 = Math.log(5);
            NDArray logits = m.create(new double[] {0, ln3, Double.NEGATIVE_INFINITY, ln2, 0, ln5}, new Shape(2, 3));
            NDArray labels = m.create(new long[] {1, 0});
            // Row 0 has a third class with probability 0 (logit -inf): it does not change row 0's softmax.
            assertClose(0.8369882167858358, scalar(CrossEntropy.mean(logits, labels)), 1e-12, "float64");
            assertClose(0.8369882167858358,
                    scalar(CrossEntropy.mean(logits.toType(DataType.FLOAT32, false), labels)), 1e-6, "float32");
            double[] rows = doubles(CrossEntropy.perSample(logits, labels));
            assertClose(Math.log(4.0 / 3), rows[0], 1e-12, "row 0");
            assertClose(Math.log(4), rows[1], 1e-12, "row 1");
            assertEquals(DataType.FLOAT32,
                    CrossEntropy.mean(logits.toType(DataType.FLOAT32, false), labels).getDataType());
        }
    }

    @Test
    void agreesWithTheLogSoftmaxFormula() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 9;
        int c = 5;
        double[] x = new double[n * c];
        long[] y = new long[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = 4 * LossFixtures.gaussian(r);
        }
        double want = 0;
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(c);
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, x[i * c + k]);
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(x[i * c + k] - max);
            }
            want += max + Math.log(sum) - x[i * c + (int) y[i]];
        }
        want /= n;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(x, new Shape(n, c));
            assertClose(want, scalar(CrossEntropy.mean(logits, m.create(y))), 1e-12, "float64");
            assertClose(want, scalar(CrossEntropy.mean(logits.toType(DataType.FLOAT32, false),
                    m.create(y).toType(DataType.INT32, false))), 1e-5, "float32, int32 labels");
        }
    }

    @Test
    void largeLogitsStayFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1e4f, -1e4f, 0f, 1e4f, 1e4f, -1e4f}, new Shape(2, 3));
            NDArray labels = m.create(new long[] {1, 0});
            // Row 0: -log softmax = 1e4 - (-1e4) = 2e4. Row 1: two equal top logits, -log(1/2) = ln 2.
            double got = scalar(CrossEntropy.mean(logits, labels));
            assertTrue(Double.isFinite(got), "loss " + got);
            assertClose((2e4 + Math.log(2)) / 2, got, 1e-6, "large logits");
            NDArray x = logits.duplicate();
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(CrossEntropy.mean(x, labels));
            }
            for (double g : doubles(x.getGradient())) {
                assertTrue(Double.isFinite(g), "gradient " + g);
            }
        }
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverN() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] x = {0.5, -1, 2, 0, 1, 1};
            long[] y = {2, 0};
            NDArray logits = m.create(x, new Shape(2, 3));
            logits.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(CrossEntropy.mean(logits, m.create(y)));
            }
            double[] g = doubles(logits.getGradient());
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += Math.exp(x[i * 3 + k]);
                }
                for (int k = 0; k < 3; k++) {
                    double want = (Math.exp(x[i * 3 + k]) / sum - (k == y[i] ? 1 : 0)) / 2;
                    assertClose(want, g[i * 3 + k], 1e-12, "d/dlogit[" + i + "][" + k + "]");
                }
            }
        }
    }

    @Test
    void weightsAreAWeightedMeanAndZeroWeightRowsAreIgnored() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new double[] {0, Math.log(3), 1, 2, Math.log(2), 0}, new Shape(3, 2));
            // Row 1 is padding with an out-of-range label -1; it must be ignored.
            NDArray labels = m.create(new long[] {1, -1, 0});
            NDArray valid = m.create(new boolean[] {true, false, true});
            // Row 0: ln(4/3); row 2: logits (ln 2, 0), label 0, -log(2/3) = ln(3/2). Mean over valid rows.
            double want = (Math.log(4.0 / 3) + Math.log(1.5)) / 2;
            assertClose(want, scalar(CrossEntropy.mean(logits, labels, valid)), 1e-12, "boolean mask");
            assertClose(want, scalar(CrossEntropy.mean(logits, labels, m.create(new float[] {1, 0, 1}))), 1e-12,
                    "0/1 weights");
            // Real weights: (1 * ln(4/3) + 3 * ln(3/2)) / 4.
            assertClose((Math.log(4.0 / 3) + 3 * Math.log(1.5)) / 4,
                    scalar(CrossEntropy.mean(logits, labels, m.create(new double[] {1, 0, 3}))), 1e-12, "weights");
            assertEquals(0.0, scalar(CrossEntropy.mean(logits, labels, m.create(new double[] {0, 0, 0}))), 0.0);
            NDArray x = logits.duplicate();
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(CrossEntropy.mean(x, labels, valid));
            }
            double[] g = doubles(x.getGradient());
            assertEquals(0.0, g[2], 0.0);
            assertEquals(0.0, g[3], 0.0);
            assertTrue(Math.abs(g[0]) > 1e-3);
        }
    }

    @Test
    void resultBelongsToTheLogitsManagerAndNothingElseIsAdded() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray labels = m.create(new long[] {0, 1});
            NDArray w = m.create(new float[] {1, 1});
            int before = m.getManagedArrays().size();
            NDArray l = CrossEntropy.mean(logits, labels, w);
            assertSame(m, l.getManager());
            assertEquals(before + 1, m.getManagedArrays().size());
        }
    }

    @Test
    void invalidInputsAreRejectedWithTheActualShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(4, 10));
            assertEquals("labels (3) must be (4), one entry per row of logits (4, 10)",
                    assertThrows(IllegalArgumentException.class,
                            () -> CrossEntropy.mean(logits, m.zeros(new Shape(3), DataType.INT64))).getMessage());
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> CrossEntropy.mean(logits, m.zeros(new Shape(4)))).getMessage();
            assertTrue(msg.contains("integer") && msg.contains("float32"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> CrossEntropy.mean(m.zeros(new Shape(4)), m.zeros(new Shape(4), DataType.INT64)))
                    .getMessage();
            assertTrue(msg.contains("(N, C)") && msg.contains("(4)"), msg);
            msg = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.mean(logits,
                    m.zeros(new Shape(4), DataType.INT64), m.zeros(new Shape(5)))).getMessage();
            assertTrue(msg.startsWith("weights (5) must be (4)"), msg);
        }
    }
}
