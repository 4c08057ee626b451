package dev.excon.loss;

import static dev.excon.loss.LossFixtures.assertClose;
import static dev.excon.loss.LossFixtures.bools;
import static dev.excon.loss.LossFixtures.copy;
import static dev.excon.loss.LossFixtures.create;
import static dev.excon.loss.LossFixtures.doubles;
import static dev.excon.loss.LossFixtures.labels;
import static dev.excon.loss.LossFixtures.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.excon.loss.LossFixtures.Batch;
import dev.excon.loss.LossFixtures.Mode;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Autograd gradients of the loss against central finite differences, padding and the background-negative rule. */
class SupConLossGradientTest {

    private static final double H = 1e-6;

    /** Gradients w.r.t. view1 and view2 through DJL's GradientCollector, (N * D) each, row-major. */
    static double[][] gradient(NDManager m, SupConLoss loss, Batch b, DataType dtype) {
        NDArray v1 = create(m, b.view1(), dtype);
        NDArray v2 = create(m, b.view2(), dtype);
        v1.setRequiresGradient(true);
        v2.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray l = loss.compute(v1, v2, labels(m, b.labels()), bools(m, b.background()), bools(m, b.valid()));
            gc.backward(l);
        }
        try (NDArray g1 = v1.getGradient(); NDArray g2 = v2.getGradient()) {
            return new double[][] {doubles(g1), doubles(g2)};
        }
    }

    /** Central differences of {@code f} over every coordinate of both views. */
    static double[][] finiteDifferences(Batch b, ToDoubleFunction<Batch> f) {
        int n = b.size();
        int d = b.view1()[0].length;
        double[][] g = new double[2][n * d];
        for (int view = 0; view < 2; view++) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    double[][] plus1 = copy(b.view1());
                    double[][] plus2 = copy(b.view2());
                    double[][] minus1 = copy(b.view1());
                    double[][] minus2 = copy(b.view2());
                    (view == 0 ? plus1 : plus2)[i][k] += H;
                    (view == 0 ? minus1 : minus2)[i][k] -= H;
                    double up = f.applyAsDouble(new Batch(plus1, plus2, b.labels(), b.background(), b.valid()));
                    double down = f.applyAsDouble(new Batch(minus1, minus2, b.labels(), b.background(), b.valid()));
                    g[view][i * d + k] = (up - down) / (2 * H);
                }
            }
        }
        return g;
    }

    static void assertGradientsClose(double[][] want, double[][] got, double tol, String what) {
        for (int view = 0; view < 2; view++) {
            assertEquals(want[view].length, got[view].length);
            for (int j = 0; j < want[view].length; j++) {
                assertClose(want[view][j], got[view][j], tol, what + " view " + (view + 1) + " element " + j);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void autogradMatchesFiniteDifferencesOfThePlainJavaReference(Mode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (float t : new float[] {0.1f, 0.5f}) {
                Batch b = LossFixtures.random(mode, 5, 2, 3, 2, 7 + (long) (10 * t));
                SupConLoss loss = mode.loss(t, 0.07f);
                double[][] want = finiteDifferences(b, x -> x.reference(t, 0.07f, mode.backgroundAnchor));
                double[][] got = gradient(m, loss, b, DataType.FLOAT64);
                assertGradientsClose(want, got, 1e-6, mode + " t=" + t);
                assertTrue(norm(got) > 1e-3, "a vanishing gradient would make this test vacuous");
            }
        }
    }

    @Test
    void autogradMatchesFiniteDifferencesOfTheNdArrayLoss() {
        // The same check with the NDArray loss itself (float64) as the differentiated function.
        try (NDManager m = NDManager.newBaseManager()) {
            for (Mode mode : new Mode[] {Mode.SUPERVISED, Mode.SUPERVISED_BACKGROUND_NEGATIVES}) {
                Batch b = LossFixtures.random(mode, 4, 2, 3, 2, 99);
                SupConLoss loss = mode.loss(0.1f, 0.07f);
                double[][] want = finiteDifferences(b, x -> scalar(x.loss(m, loss, DataType.FLOAT64)));
                assertGradientsClose(want, gradient(m, loss, b, DataType.FLOAT64), 1e-6, mode.toString());
            }
        }
    }

    @Test
    void float32GradientAgreesWithFloat64() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 12, 4, 16, 4, 5);
            SupConLoss loss = SupConLoss.reference();
            assertGradientsClose(gradient(m, loss, b, DataType.FLOAT64), gradient(m, loss, b, DataType.FLOAT32), 1e-4,
                    "float32");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void paddingLeavesTheGradientOfValidRowsUnchangedAndGetsNone(Mode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                Batch b = LossFixtures.random(mode, 6, 3, 4, 3, 21);
                int[] index = new int[b.size()];
                Batch padded = LossFixtures.pad(b, 6, true, 22, index);
                SupConLoss loss = mode.loss(0.1f, 0.07f);
                double tol = dtype == DataType.FLOAT64 ? 1e-12 : 1e-5;
                assertClose(scalar(b.loss(m, loss, dtype)), scalar(padded.loss(m, loss, dtype)), tol, "loss");
                double[][] compact = gradient(m, loss, b, dtype);
                double[][] withPadding = gradient(m, loss, padded, dtype);
                int d = b.view1()[0].length;
                boolean[] isValid = padded.valid();
                for (int view = 0; view < 2; view++) {
                    for (int i = 0; i < b.size(); i++) {
                        for (int k = 0; k < d; k++) {
                            assertClose(compact[view][i * d + k], withPadding[view][index[i] * d + k], tol,
                                    mode + " " + dtype + " view " + (view + 1) + " row " + i);
                        }
                    }
                    for (int p = 0; p < padded.size(); p++) {
                        for (int k = 0; k < d && !isValid[p]; k++) {
                            assertEquals(0.0, withPadding[view][p * d + k], 0.0, "padding row " + p + " got gradient");
                        }
                    }
                }
            }
        }
    }

    @Test
    void backgroundRowsAsNegativesOnlyGetOnlyTheNegativeGradient() {
        // With background as negatives only, a background row k enters the loss only through the denominators of
        // the 2B real anchors: dL/dz_k = (1 / 2B) (1 / b) sum_{i real} p_ik z_i, where p_ik is the softmax weight of
        // k in the denominator of anchor i (the t of the logits cancels against the factor t / b).
        double t = 0.1f;
        double base = 0.07f;
        Batch b = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 6, 3, 5, 2, 8);
        int n = b.size();
        int d = b.view1()[0].length;
        double[][] z = new double[2 * n][];
        for (int i = 0; i < n; i++) {
            z[i] = b.view1()[i];
            z[n + i] = b.view2()[i];
        }
        int realRows = 0;
        for (boolean g : b.background()) {
            realRows += g ? 0 : 2;
        }
        double[][] want = new double[2 * n][d];
        for (int i = 0; i < 2 * n; i++) {
            if (b.background()[i % n]) {
                continue;
            }
            double partition = 0;
            for (int a = 0; a < 2 * n; a++) {
                partition += a == i ? 0 : Math.exp(ReferenceSupCon.dot(z[i], z[a]) / t);
            }
            for (int k = 0; k < 2 * n; k++) {
                if (k != i && b.background()[k % n]) {
                    double p = Math.exp(ReferenceSupCon.dot(z[i], z[k]) / t) / partition;
                    for (int c = 0; c < d; c++) {
                        want[k][c] += p * z[i][c] / (realRows * base);
                    }
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] got = gradient(m, SupConLoss.reference(), b, DataType.FLOAT64);
            int checked = 0;
            for (int k = 0; k < 2 * n; k++) {
                if (b.background()[k % n]) {
                    for (int c = 0; c < d; c++) {
                        assertClose(want[k][c], got[k / n][(k % n) * d + c], 1e-10, "background row " + k);
                        checked++;
                    }
                }
            }
            assertEquals(2 * 3 * d, checked);
            assertTrue(norm(want) > 1e-3, "the background gradient must not be trivially zero");
        }
    }

    @Test
    void backgroundAnchorTermsAreZeroAndCarryNoGradientWhenNegativesOnly() {
        Batch b = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 5, 3, 4, 2, 31);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v1 = create(m, b.view1(), DataType.FLOAT64);
            NDArray v2 = create(m, b.view2(), DataType.FLOAT64);
            v1.setRequiresGradient(true);
            v2.setRequiresGradient(true);
            double[] rowIsBackground = new double[2 * b.size()];
            for (int i = 0; i < rowIsBackground.length; i++) {
                rowIsBackground[i] = b.background()[i % b.size()] ? 1 : 0;
            }
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray terms = SupConLoss.reference().perAnchor(v1, v2, labels(m, b.labels()),
                        bools(m, b.background()), null);
                NDArray backgroundTerms = terms.mul(m.create(rowIsBackground));
                assertEquals(0.0, scalar(backgroundTerms.abs().sum()), 0.0);
                // Backpropagating the background rows' own terms must move nothing.
                gc.backward(backgroundTerms.sum());
            }
            assertEquals(0.0, scalar(v1.getGradient().abs().sum()), 0.0);
            assertEquals(0.0, scalar(v2.getGradient().abs().sum()), 0.0);
            // As anchors (the other mode) the same rows do carry gradient: the check above is not vacuous. (The
            // gradient so far is zero, so accumulating into it does not matter.)
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray terms = Mode.SUPERVISED_BACKGROUND_ANCHOR.loss(0.1f, 0.07f).perAnchor(v1, v2,
                        labels(m, b.labels()), bools(m, b.background()), null);
                gc.backward(terms.mul(m.create(rowIsBackground)).sum());
            }
            assertTrue(scalar(v1.getGradient().abs().sum()) > 1e-3);
        }
    }

    private static double norm(double[][] g) {
        double s = 0;
        for (double[] row : g) {
            for (double v : row) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }
}
