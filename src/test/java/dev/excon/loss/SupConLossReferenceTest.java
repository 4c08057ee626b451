package dev.excon.loss;

import static dev.excon.loss.LossFixtures.assertClose;
import static dev.excon.loss.LossFixtures.create;
import static dev.excon.loss.LossFixtures.labels;
import static dev.excon.loss.LossFixtures.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.excon.loss.LossFixtures.Batch;
import dev.excon.loss.LossFixtures.Mode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Golden tests: the NDArray loss against hand-computed cases and the plain-Java reference, in every mode. */
class SupConLossReferenceTest {

    // Tiny case used below, D = 2:  view 1: x1 = (1, 0), x2 = (0, 1);  view 2: y1 = (0.6, 0.8), y2 = (0.8, -0.6).
    // Dot products: x1.x2 = 0, x1.y1 = 0.6, x1.y2 = 0.8, x2.y1 = 0.8, x2.y2 = -0.6, y1.y2 = 0.48 - 0.48 = 0.
    private static final double[][] X = {{1, 0}, {0, 1}};
    private static final double[][] Y = {{0.6, 0.8}, {0.8, -0.6}};
    // S1 = log(1 + e^0.6 + e^0.8) = log(1 + 1.8221188 + 2.2255409) = log(5.0476597) = 1.6189247158518507
    // S2 = log(1 + e^0.8 + e^-0.6) = log(1 + 2.2255409 + 0.5488116) = log(3.7743526) = 1.3282288619223375
    private static final double S1 = 1.6189247158518507;
    private static final double S2 = 1.3282288619223375;

    @Test
    void handComputedSimclrAtUnitTemperatures() {
        // t = b = 1, labels 0 and 1 (each sample its own class, so the same as SimCLR).
        // Anchor x1: A = {x2, y1, y2} with logits 0, 0.6, 0.8, P = {y1}:  l = S1 - 0.6.
        // Anchor x2: A = {x1, y1, y2} with logits 0, 0.8, -0.6, P = {y2}: l = S2 + 0.6.
        // Anchor y1: A = {x1, x2, y2} with logits 0.6, 0.8, 0, P = {x1}:  l = S1 - 0.6.
        // Anchor y2: A = {x1, x2, y1} with logits 0.8, -0.6, 0, P = {x2}: l = S2 + 0.6.
        // L = (2 (S1 - 0.6) + 2 (S2 + 0.6)) / 4 = (S1 + S2) / 2 = 1.473576788887094.
        double want = 1.473576788887094;
        assertEquals(want, (S1 + S2) / 2, 1e-15);
        SupConLoss loss = SupConLoss.builder().optTemperature(1f).optBaseTemperature(1f).build();
        try (NDManager m = NDManager.newBaseManager()) {
            for (DataType dtype : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                double tol = dtype == DataType.FLOAT64 ? 1e-12 : 1e-6;
                NDArray x = create(m, X, dtype);
                NDArray y = create(m, Y, dtype);
                assertClose(want, scalar(loss.simclr(x, y)), tol, "SimCLR " + dtype);
                assertClose(want, scalar(loss.supervised(x, y, labels(m, new int[] {0, 1}))), tol, "labels " + dtype);
                assertEquals(dtype, loss.simclr(x, y).getDataType());
            }
        }
        assertClose(want, ReferenceSupCon.loss(X, Y, null, null, 1, 1, false), 1e-12, "plain-Java reference");
    }

    @Test
    void handComputedSameLabelWithTemperatureRatio() {
        // t = 1, b = 0.5 (factor t/b = 2); both samples in class 0, so every other row is a positive.
        // Anchor x1: mean positive logit (0 + 0.6 + 0.8) / 3, l = 2 (S1 - 1.4/3); y1 likewise.
        // Anchor x2: mean positive logit (0 + 0.8 - 0.6) / 3, l = 2 (S2 - 0.2/3); y2 likewise.
        // L = (4 (S1 - 1.4/3) + 4 (S2 - 0.2/3)) / 4 = S1 + S2 - 1.6/3 = 2.413820244440855.
        double want = 2.413820244440855;
        assertEquals(want, S1 + S2 - 1.6 / 3, 1e-15);
        SupConLoss loss = SupConLoss.builder().optTemperature(1f).optBaseTemperature(0.5f).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray got = loss.supervised(create(m, X, DataType.FLOAT64), create(m, Y, DataType.FLOAT64),
                    labels(m, new int[] {0, 0}));
            assertClose(want, scalar(got), 1e-12, "same label");
        }
    }

    @Test
    void handComputedSimclrAtReferenceTemperatures() {
        // t = 0.1, b = 0.07 (the defaults): logits are the dot products times 10 and the factor is 1/0.7.
        // L = (1/0.7) ((log(1 + e^6 + e^8) - 6) + (log(1 + e^8 + e^-6) + 6)) / 2 = 11.519685485374158
        // (11.51968544 with t and b rounded to float, as the loss holds them).
        SupConLoss loss = SupConLoss.reference();
        try (NDManager m = NDManager.newBaseManager()) {
            double got = scalar(loss.simclr(create(m, X, DataType.FLOAT32), create(m, Y, DataType.FLOAT32)));
            assertClose(11.519685485374158, got, 1e-6, "reference temperatures");
        }
    }

    @Test
    void handComputedBackgroundModes() {
        // t = b = 1. One real sample x1 = (1, 0) with second view y1 = (0.6, 0.8); one background sample g = (0, 1)
        // appended to both views as the reference does. Rows: x1, g | y1, g'.
        // Anchor x1: A = {g, y1, g'} with logits 0, 0.6, 0, P = {y1}: l_x = log(2 + e^0.6) - 0.6 = 0.7408049286396913
        // Anchor y1: A = {x1, g, g'} with logits 0.6, 0.8, 0.8, P = {x1}: l_y = log(e^0.6 + 2 e^0.8) - 0.6
        //          = 1.2362866960692136
        // Negatives only: L = (l_x + l_y) / 2 = 0.9885458123544524 (g and g' appear only in denominators).
        // As anchors: g has A = {x1, y1, g'} with logits 0, 0.8, 1, P = {g'}: l_g = log(1 + e^0.8 + e^1) - 1
        //          = 0.782352488153828, g' likewise; L = (l_x + l_y + 2 l_g) / 4 = 0.8854491502541402.
        double[][] v1 = {{1, 0}, {0, 1}};
        double[][] v2 = {{0.6, 0.8}, {0, 1}};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = create(m, v1, DataType.FLOAT64);
            NDArray b = create(m, v2, DataType.FLOAT64);
            NDArray bg = m.create(new boolean[] {false, true});
            for (NDArray y : new NDArray[] {labels(m, new int[] {3, 3}), labels(m, new int[] {3, 7}), null}) {
                SupConLoss negatives = SupConLoss.builder().optTemperature(1f).optBaseTemperature(1f).build();
                assertClose(0.9885458123544524, scalar(negatives.compute(a, b, y, bg, null)), 1e-12, "negatives");
                SupConLoss anchor = SupConLoss.builder().optTemperature(1f).optBaseTemperature(1f)
                        .optBackgroundAnchor(true).build();
                assertClose(0.8854491502541402, scalar(anchor.compute(a, b, y, bg, null)), 1e-12, "as anchor");
                double[] terms = LossFixtures.doubles(negatives.perAnchor(a, b, y, bg, null));
                assertEquals(0.0, terms[1], 0.0);
                assertEquals(0.0, terms[3], 0.0);
                assertClose(0.7408049286396913, terms[0], 1e-12, "l_x");
                assertClose(1.2362866960692136, terms[2], 1e-12, "l_y");
            }
        }
        // The plain-Java reference agrees with the hand computation.
        assertClose(0.9885458123544524,
                ReferenceSupCon.loss(v1, v2, new int[] {0, 0}, new boolean[] {false, true}, 1, 1, false), 1e-12, "");
        assertClose(0.8854491502541402,
                ReferenceSupCon.loss(v1, v2, new int[] {0, 0}, new boolean[] {false, true}, 1, 1, true), 1e-12, "");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void matchesThePlainJavaReference(Mode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (long seed = 1; seed <= 6; seed++) {
                Batch b = LossFixtures.random(mode, 7 + (int) seed, (int) seed % 4 + 1, 6, 3, seed);
                float t = seed % 2 == 0 ? 0.1f : 0.5f;
                float base = 0.07f;
                double want = b.reference(t, base, mode.backgroundAnchor);
                SupConLoss loss = mode.loss(t, base);
                assertClose(want, scalar(b.loss(m, loss, DataType.FLOAT64)), 1e-10, mode + " float64 seed " + seed);
                assertClose(want, scalar(b.loss(m, loss, DataType.FLOAT32)), 1e-5, mode + " float32 seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void perAnchorTermsMatchTheReference(Mode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = LossFixtures.random(mode, 6, 3, 5, 2, 42);
            ReferenceSupCon.Result want = ReferenceSupCon.terms(b.view1(), b.view2(), b.labels(), b.background(),
                    0.1f, 0.07f, mode.backgroundAnchor);
            SupConLoss loss = mode.loss(0.1f, 0.07f);
            double[] got = LossFixtures.doubles(loss.perAnchor(create(m, b.view1(), DataType.FLOAT64),
                    create(m, b.view2(), DataType.FLOAT64), labels(m, b.labels()),
                    LossFixtures.bools(m, b.background()), null));
            assertEquals(2 * b.size(), got.length);
            for (int i = 0; i < got.length; i++) {
                assertClose(want.perAnchor()[i], got[i], 1e-10, mode + " anchor " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void paddedBatchMatchesTheReferenceOnTheCompactedBatch(Mode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (long seed = 11; seed <= 14; seed++) {
                Batch b = LossFixtures.random(mode, 6, 3, 5, 3, seed);
                Batch padded = LossFixtures.pad(b, 5, seed % 2 == 0, seed, new int[b.size()]);
                double want = b.reference(0.1f, 0.07f, mode.backgroundAnchor);
                SupConLoss loss = mode.loss(0.1f, 0.07f);
                double got = scalar(padded.loss(m, loss, DataType.FLOAT32));
                assertTrue(Double.isFinite(got), mode + ": padding leaked into the loss: " + got);
                assertClose(want, got, 1e-5, mode + " padded, seed " + seed);
                assertClose(want, scalar(padded.loss(m, loss, DataType.FLOAT64)), 1e-10, mode + " float64");
            }
        }
    }

    @Test
    void theReferenceNormalisationForBackgroundNegativesIsTheMeanTimesNOverB() {
        // The reference code: mean over all 2N rows (background rows contribute 0), times N / B.
        Batch b = LossFixtures.random(Mode.SUPERVISED_BACKGROUND_NEGATIVES, 5, 3, 4, 2, 3);
        ReferenceSupCon.Result r = ReferenceSupCon.terms(b.view1(), b.view2(), b.labels(), b.background(), 0.1, 0.07,
                false);
        double sum = 0;
        for (double v : r.perAnchor()) {
            sum += v;
        }
        int n = b.size();
        double referenceCode = sum / (2 * n) * ((double) n / 5);
        assertClose(referenceCode, r.loss(), 1e-12, "N/B normalisation");
        try (NDManager m = NDManager.newBaseManager()) {
            assertClose(referenceCode, scalar(b.loss(m, Mode.SUPERVISED_BACKGROUND_NEGATIVES.loss(0.1f, 0.07f),
                    DataType.FLOAT64)), 1e-7, "NDArray loss");
        }
    }
}
