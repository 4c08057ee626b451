package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void binEdgesAreOpenBelowAndClosedAbove() {
        assertEquals(0, Calibration.binOf(0.0, 10), "exactly 0 goes to the first bin");
        assertEquals(0, Calibration.binOf(0.1, 10), "0.1 closes (0, 0.1]");
        assertEquals(1, Calibration.binOf(Math.nextUp(0.1), 10));
        assertEquals(2, Calibration.binOf(0.3, 10), "0.3 * 10 rounds to 3.0000000000000004; still (0.2, 0.3]");
        assertEquals(6, Calibration.binOf(0.7, 10), "0.7 * 10 rounds to 7.000000000000001; still (0.6, 0.7]");
        assertEquals(9, Calibration.binOf(1.0, 10), "exactly 1.0 goes to the last bin");
        assertEquals(9, Calibration.binOf(Math.nextUp(0.9), 10));
        assertEquals(8, Calibration.binOf(0.9, 10));
        assertEquals(0, Calibration.binOf(0.5, 2));
        assertEquals(1, Calibration.binOf(0.5000001, 2));
        for (int bins = 1; bins <= 40; bins++) { // every edge k/B lands in the bin it closes
            for (int k = 1; k <= bins; k++) {
                assertEquals(k - 1, Calibration.binOf((double) k / bins, bins), k + "/" + bins);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Calibration.binOf(1.0000001, 10));
        assertThrows(IllegalArgumentException.class, () -> Calibration.binOf(Double.NaN, 10));
    }

    /**
     * Six two-class predictions with binary-exact probabilities, worked out by hand:
     *
     * <pre>
     *   p            y  pred  conf   correct  bin (of 10)
     *   [1, 0]       0  0     1      yes      9
     *   [0, 1]       0  1     1      no       9
     *   [.75, .25]   1  0     .75    no       7
     *   [.375, .625] 1  1     .625   yes      6
     *   [.5, .5]     0  0     .5     yes      4  (0.5 closes (0.4, 0.5])
     *   [.5, .5]     1  0     .5     no       4
     * </pre>
     *
     * Bins 4: gap |.5 - .5| = 0 (2 samples); 6: |1 - .625| = .375 (1); 7: |0 - .75| = .75 (1); 9: |.5 - 1| = .5 (2);
     * bins 0-3, 5, 8 are empty. ECE = (2 * 0 + .375 + .75 + 2 * .5) / 6 = 2.125 / 6; MCE = .75.
     */
    static final float[] PROBS = {1, 0, 0, 1, .75f, .25f, .375f, .625f, .5f, .5f, .5f, .5f};
    static final int[] LABELS = {0, 0, 1, 1, 0, 1};

    @Test
    void eceAndMceByHandWithAConfidenceOfOneAndEmptyBins() {
        CalibrationResult r = Calibration.withBins(10, 3).ofProbabilities(PROBS, 2, LABELS);
        assertEquals(6, r.count());
        assertEquals(2.125 / 6, r.ece(), 1e-15);
        assertEquals(0.75, r.mce(), 1e-15);
        assertEquals(0.5, r.accuracy(), 1e-15);
        assertEquals(4.375 / 6, r.meanConfidence(), 1e-15);
        List<ReliabilityBin> bins = r.bins();
        assertEquals(10, bins.size());
        long[] counts = new long[10];
        for (int b = 0; b < 10; b++) {
            counts[b] = bins.get(b).count();
            assertEquals(b / 10.0, bins.get(b).lower(), 1e-15);
            assertEquals((b + 1) / 10.0, bins.get(b).upper(), 1e-15);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 0, 0, 0, 2, 0, 1, 1, 0, 2}, counts);
        assertEquals(1.0, bins.get(9).meanConfidence(), 0);
        assertEquals(0.5, bins.get(9).accuracy(), 0);
        assertEquals(-0.5, bins.get(9).gap(), 0);
        assertTrue(bins.get(8).isEmpty() && Double.isNaN(bins.get(8).accuracy()));
        assertEquals(0.625, bins.get(6).meanConfidence(), 0);
        String text = r.toString();
        assertTrue(text.contains("ECE 0.3542") && text.contains("[0.000, 0.100]") && text.contains("(0.900, 1.000]"),
                text);
    }

    /**
     * Equal-mass bins of the same six: sorted by confidence (ties in input order) s4, s5, s3, s2, s0, s1; three bins
     * of two: conf .5 acc .5; conf .6875 acc .5; conf 1 acc .5. Adaptive ECE = (0 + 2 * .1875 + 2 * .5) / 6.
     */
    @Test
    void adaptiveEceByHand() {
        CalibrationResult r = Calibration.withBins(10, 3).ofProbabilities(PROBS, 2, LABELS);
        assertEquals(1.375 / 6, r.adaptiveEce(), 1e-15);
        List<ReliabilityBin> a = r.adaptiveBins();
        assertEquals(3, a.size());
        assertEquals(0.5, a.get(0).lower(), 0);
        assertEquals(0.5, a.get(0).upper(), 0);
        assertEquals(0.6875, a.get(1).meanConfidence(), 1e-15);
        assertEquals(0.625, a.get(1).lower(), 0);
        assertEquals(0.75, a.get(1).upper(), 0);
        assertEquals(2, a.get(2).count());
        // Fewer samples than bins: the empty groups are left out, each sample is a group of its own, so the
        // adaptive ECE is the mean |correct - confidence|: (|1 - .75| + |1 - .5| + |0 - 1|) / 3.
        CalibrationResult small = Calibration.withBins(10, 10).ofProbabilities(
                new float[] {.75f, .25f, .5f, .5f, 1, 0}, 2, new int[] {0, 0, 1});
        assertEquals(3, small.adaptiveBins().size());
        assertEquals((.25 + .5 + 1) / 3, small.adaptiveEce(), 1e-15);
    }

    /**
     * NLL and Brier of the same six: -log p_y = 0, -log(1e-12) (p_y = 0 is floored), log 4, log 1.6, log 2, log 2;
     * squared errors 0, 2, 1.125, 0.28125, 0.5, 0.5.
     */
    @Test
    void nllAndBrierByHandFromProbabilities() {
        CalibrationResult r = Calibration.standard().ofProbabilities(PROBS, 2, LABELS);
        double nll = (0 - Math.log(1e-12) + Math.log(4) + Math.log(1.6) + 2 * Math.log(2)) / 6;
        assertEquals(nll, r.nll(), 1e-7); // .625f and .375f are exact, so only the logs round
        assertEquals(4.40625 / 6, r.brier(), 1e-15);
    }

    /**
     * From logits: [0, ln 3] (p = .25, .75) with y = 0: NLL ln 4, Brier .5625 + .5625; [2, 2] with y = 1: NLL ln 2,
     * Brier .5, predicted 0 (first index); [1000, 0] with y = 1: NLL 1000 exactly (stable log-sum-exp), Brier 2, and
     * a confidence of exactly 1.0 in the last bin.
     */
    @Test
    void nllAndBrierByHandFromLogits() {
        float ln3 = (float) Math.log(3);
        CalibrationResult r = Calibration.standard().ofLogits(new float[] {0, ln3, 2, 2, 1000, 0}, 2,
                new int[] {0, 1, 1});
        double p0 = 1 / (1 + Math.exp(ln3)); // 0.25 up to the float rounding of ln 3
        double nll0 = Math.log(1 + Math.exp(ln3));
        assertEquals((nll0 + Math.log(2) + 1000) / 3, r.nll(), 1e-12);
        double brier0 = (p0 - 1) * (p0 - 1) + (1 - p0) * (1 - p0);
        assertEquals((brier0 + 0.5 + 2) / 3, r.brier(), 1e-12);
        assertEquals(0.0, r.accuracy(), "the tie predicts class 0, the others predict the wrong class too");
        assertEquals(1, r.bins().get(9).count(), "softmax of [1000, 0] is exactly 1.0");
        assertEquals(1, r.bins().get(7).count(), "0.75");
        assertEquals(1, r.bins().get(4).count(), "0.5");
    }

    @Test
    void logitsAndTheirSoftmaxGiveTheSameNumbers() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 500;
        int c = 7;
        float[] logits = new float[n * c];
        float[] probs = new float[n * c];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                logits[i * c + k] = (float) (3 * rng.nextGaussian());
                sum += Math.exp(logits[i * c + k]);
            }
            for (int k = 0; k < c; k++) {
                probs[i * c + k] = (float) (Math.exp(logits[i * c + k]) / sum);
            }
            labels[i] = rng.nextInt(c);
        }
        CalibrationResult a = Calibration.standard().ofLogits(logits, c, labels);
        CalibrationResult b = Calibration.standard().ofProbabilities(probs, c, labels);
        assertEquals(a.ece(), b.ece(), 1e-6);
        assertEquals(a.mce(), b.mce(), 1e-5);
        assertEquals(a.adaptiveEce(), b.adaptiveEce(), 1e-6);
        assertEquals(a.nll(), b.nll(), 1e-5);
        assertEquals(a.brier(), b.brier(), 1e-6);
        assertEquals(a.accuracy(), b.accuracy(), 0);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = labels[i];
            }
            NDArray l = m.create(logits, new Shape(n, c));
            CalibrationResult d = Calibration.standard().ofLogits(l, m.create(y));
            assertEquals(a.ece(), d.ece(), 0);
            CalibrationResult p = Calibration.standard().ofProbabilities(l.softmax(1), m.create(y));
            assertEquals(a.ece(), p.ece(), 1e-6);
        }
    }

    @Test
    void anAccumulatorOverBatchesEqualsOneCall() {
        Calibration.Accumulator acc = Calibration.withBins(10, 3).accumulator();
        acc.addProbabilities(java.util.Arrays.copyOfRange(PROBS, 0, 4), 2, new int[] {0, 0});
        acc.addProbabilities(java.util.Arrays.copyOfRange(PROBS, 4, 12), 2, new int[] {1, 1, 0, 1});
        CalibrationResult r = acc.result();
        assertEquals(2.125 / 6, r.ece(), 1e-15);
        assertEquals(1.375 / 6, r.adaptiveEce(), 1e-15);
    }

    // ------------------------------------------------------------------ bin conventions (issue 11)

    /**
     * The issue's case: 3 classes, 4 samples, two of them with a confidence of exactly 0.5.
     *
     * <pre>
     *   p                 y  pred  conf  correct  (a, b] bin        netcal bin (after clipping: unchanged)
     *   [.5, .25, .25]    0  0     .5    yes      4 (0.4, 0.5]      5 [0.5, 0.6)
     *   [.25, .5, .25]    1  1     .5    yes      4 (0.4, 0.5]      5 [0.5, 0.6)
     *   [.25, .2, .55]    0  2     .55   no       5 (0.5, 0.6]      5 [0.5, 0.6)
     *   [.3, .25, .45]    2  2     .45   yes      4 (0.4, 0.5]      4 [0.4, 0.5)
     * </pre>
     *
     * (a, b]: bin 4 holds .5, .5, .45, all right: acc 1, conf 1.45 / 3, gap 1.55 / 3, weight 3/4 -> .3875; bin 5
     * holds .55, wrong: gap .55, weight 1/4 -> .1375. ECE = .525; MCE = .55; ACE = (1.55 / 3 + .55) / 2 = 1.6 / 3.
     *
     * <p>netcal: bin 4 holds .45, right: gap .55, weight 1/4 -> .1375; bin 5 holds .5, .5, .55, two right: acc 2/3,
     * conf 1.55 / 3, gap .45 / 3 = .15, weight 3/4 -> .1125. ECE = .25; MCE = .55; ACE = (.55 + .15) / 2 = .35.
     *
     * <p>The labels take three values, so netcal itself takes its multi-class (top-label) path here. .55 and .45 are
     * float32 (0.550000011920929, 0.449999988079071), hence the 1e-7 tolerance; they are far from any edge.
     */
    static final float[] HALF = {.5f, .25f, .25f, .25f, .5f, .25f, .25f, .2f, .55f, .3f, .25f, .45f};
    static final int[] HALF_LABELS = {0, 1, 0, 2};

    @Test
    void theIssuesCaseGives0525UnderRightClosedAnd025UnderNetcal() {
        CalibrationResult guo = Calibration.standard().ofProbabilities(HALF, 3, HALF_LABELS);
        CalibrationResult netcal = Calibration.netcal().ofProbabilities(HALF, 3, HALF_LABELS);
        assertEquals(0.525, guo.ece(), 1e-7);
        assertEquals(0.25, netcal.ece(), 1e-7);
        assertEquals(0.55, guo.mce(), 1e-7);
        assertEquals(0.55, netcal.mce(), 1e-7);
        assertEquals(1.6 / 3, guo.averageCalibrationError(), 1e-7);
        assertEquals(0.35, netcal.averageCalibrationError(), 1e-7);
        assertEquals(BinEdges.RIGHT_CLOSED, guo.binEdges());
        assertEquals(BinEdges.NETCAL, netcal.binEdges());
        assertEquals(3, guo.bins().get(4).count());
        assertEquals(1, guo.bins().get(5).count());
        assertEquals(1, netcal.bins().get(4).count());
        assertEquals(3, netcal.bins().get(5).count());
        assertEquals(1.55 / 3, netcal.bins().get(5).meanConfidence(), 1e-7);
        assertEquals(2.0 / 3, netcal.bins().get(5).accuracy(), 1e-15);
        // The rest does not depend on the bins.
        assertEquals(guo.accuracy(), netcal.accuracy(), 0);
        assertEquals(guo.meanConfidence(), netcal.meanConfidence(), 0);
        assertEquals(guo.nll(), netcal.nll(), 0);
        assertEquals(guo.adaptiveEce(), netcal.adaptiveEce(), 0);
        // The reliability bins carry each convention's edges.
        assertEquals(0.3, guo.bins().get(2).upper(), 0);
        assertEquals(0.30000000000000004, netcal.bins().get(2).upper(), 0);
        assertEquals(1.0, netcal.bins().get(9).upper(), 0);
    }

    /**
     * Confidences of exactly 1, three samples, labels 0, 1, 2 (so netcal's multi-class path):
     *
     * <pre>
     *   p          y  pred  correct
     *   [1, 0, 0]  0  0     yes
     *   [0, 1, 0]  1  1     yes
     *   [1, 0, 0]  2  0     no
     * </pre>
     *
     * All in bin 9, acc 2/3. (a, b]: conf 1, ECE = MCE = ACE = 1/3. netcal clips to 1 - 2^-23 first: conf 1 - 2^-23,
     * ECE = MCE = ACE = 1 - 2^-23 - 2/3 = 1/3 - 2^-23 (about 0.33333321).
     */
    @Test
    void aConfidenceOfOneIsClippedUnderNetcalOnly() {
        float[] p = {1, 0, 0, 0, 1, 0, 1, 0, 0};
        int[] y = {0, 1, 2};
        double eps = Math.pow(2, -23);
        CalibrationResult guo = Calibration.standard().ofProbabilities(p, 3, y);
        CalibrationResult netcal = Calibration.netcal().ofProbabilities(p, 3, y);
        assertEquals(1.0 / 3, guo.ece(), 1e-15);
        assertEquals(1.0 / 3 - eps, netcal.ece(), 1e-15);
        assertEquals(1.0 / 3 - eps, netcal.mce(), 1e-15);
        assertEquals(1.0 / 3 - eps, netcal.averageCalibrationError(), 1e-15);
        assertEquals(1 - eps, netcal.bins().get(9).meanConfidence(), 0, "the bin averages clipped confidences");
        assertEquals(1.0, netcal.meanConfidence(), 0, "the overall mean confidence is never clipped");
        assertEquals(1.0, guo.bins().get(9).meanConfidence(), 0);
        // From logits too: softmax of [1000, 0, 0] is exactly 1.
        CalibrationResult l = Calibration.netcal().ofLogits(new float[] {1000, 0, 0, 0, 1000, 0, 1000, 0, 0}, 3, y);
        assertEquals(1.0 / 3 - eps, l.ece(), 1e-15);
    }

    /**
     * netcal's ACE and sample threshold, 3 classes, binary-exact confidences away from every edge (so both
     * conventions agree):
     *
     * <pre>
     *   conf    y  pred  correct  bin
     *   .9375   0  0     yes      9
     *   .9375   1  1     yes      9
     *   .9375   0  2     no       9
     *   .75     2  0     no       7
     *   .4375   0  0     yes      4
     *   .4375   0  1     no       4
     * </pre>
     *
     * Bin 4: n 2, acc .5, conf .4375, gap .0625 (3/48); bin 7: n 1, gap .75 (36/48); bin 9: n 3, acc 2/3, conf
     * .9375, gap 13/48. N = 6, three non-empty bins.
     *
     * <pre>
     *   T  bins that count  ECE                             MCE    ACE (divisor: 3 non-empty bins, always)
     *   1  4, 7, 9          (2 * .0625 + .75 + .8125) / 6    .75    (3 + 36 + 13) / 48 / 3 = 52 / 144
     *   2  4, 9             (.125 + .8125) / 6 = .15625      13/48  (3 + 13) / 48 / 3 = 1 / 9
     *   3  9                .8125 / 6                        13/48  13 / 144
     *   4  none             0                                0      0
     * </pre>
     *
     * (3 * 13/48 = .8125.) The samples of a bin that does not count stay in N; the bin itself stays in the ACE's
     * divisor: netcal 1.3.6 divides by {@code count_nonzero(num_samples)}.
     */
    @Test
    void averageCalibrationErrorAndSampleThresholdByHand() {
        float[] p = {.9375f, .03125f, .03125f, .03125f, .9375f, .03125f, .03125f, .03125f, .9375f, .75f, .125f,
            .125f, .4375f, .3125f, .25f, .25f, .4375f, .3125f};
        int[] y = {0, 1, 0, 2, 0, 0};
        double[][] expected = { // ECE, MCE, ACE for T = 1..4
            {1.6875 / 6, .75, 52.0 / 144}, {.9375 / 6, 13.0 / 48, 1.0 / 9}, {.8125 / 6, 13.0 / 48, 13.0 / 144},
            {0, 0, 0}};
        for (BinEdges edges : BinEdges.values()) {
            for (int t = 1; t <= 4; t++) {
                CalibrationResult r = Calibration.withBins(10, 10, edges).withSampleThreshold(t)
                        .ofProbabilities(p, 3, y);
                String what = edges + ", threshold " + t;
                assertEquals(expected[t - 1][0], r.ece(), 1e-15, what + ": ECE");
                assertEquals(expected[t - 1][1], r.mce(), 1e-15, what + ": MCE");
                assertEquals(expected[t - 1][2], r.averageCalibrationError(), 1e-15, what + ": ACE");
                assertEquals(t, r.sampleThreshold());
                assertEquals(1, r.bins().get(7).count(), "a bin under the threshold is still shown");
                assertEquals(6, r.count());
            }
        }
        assertEquals(0.28125, Calibration.netcal().ofProbabilities(p, 3, y).ece(), 1e-15, "netcal's defaults");
    }

    /** The default is (a, b], threshold 1, and gives the same numbers as naming those settings. */
    @Test
    void theDefaultIsRightClosedAndUnchanged() {
        assertEquals(BinEdges.RIGHT_CLOSED, Calibration.standard().binEdges());
        assertEquals(1, Calibration.standard().sampleThreshold());
        assertEquals(BinEdges.RIGHT_CLOSED, Calibration.withBins(15).binEdges());
        assertEquals(BinEdges.NETCAL, Calibration.netcal().binEdges());
        assertEquals(10, Calibration.netcal().bins());
        SplittableRandom rng = new SplittableRandom(11);
        float[] logits = new float[400 * 6];
        int[] labels = new int[400];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (2 * rng.nextGaussian());
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(6);
        }
        CalibrationResult a = Calibration.standard().ofLogits(logits, 6, labels);
        CalibrationResult b = Calibration.withBins(10, 10, BinEdges.RIGHT_CLOSED).withSampleThreshold(1)
                .ofLogits(logits, 6, labels);
        EvaluationFileTest.assertSame(a, b, "$", "standard() against its settings named");
        // The six of PROBS: gaps 0, .375, .75, .5 in four non-empty bins.
        assertEquals(1.625 / 4, Calibration.standard().ofProbabilities(PROBS, 2, LABELS).averageCalibrationError(),
                1e-15);
        // ECE, MCE and ACE are functions of the bins alone.
        assertEquals(a.ece(), Calibration.expectedCalibrationError(a.bins(), a.count(), 1), 0);
        assertEquals(a.mce(), Calibration.maximumCalibrationError(a.bins(), 1), 0);
        assertEquals(a.averageCalibrationError(), Calibration.averageCalibrationError(a.bins(), 1), 0);
    }

    @Test
    void theConventionIsShownWhereverTheNumbersAre() {
        CalibrationResult n = Calibration.netcal().withSampleThreshold(2).ofProbabilities(HALF, 3, HALF_LABELS);
        String text = n.toString();
        // Threshold 2 leaves out bin 4 (one sample): ECE = 3/4 * .15 = .1125.
        assertTrue(text.contains("ECE 0.1125 (10 equal-width bins [a, b) after clipping, netcal, bins under 2 "
                + "samples left out)") && text.contains("average CE (netcal's ACE) ") && text.contains("adaptive ECE ")
                && text.contains("[0.500, 0.600)") && text.contains("[0.900, 1.000]"), text);
        String guo = Calibration.standard().ofProbabilities(HALF, 3, HALF_LABELS).toString();
        assertTrue(guo.contains("(10 equal-width bins (a, b], Guo et al.)") && guo.contains("(0.400, 0.500]"), guo);
        assertTrue(Calibration.netcal().toString().contains("[a, b) after clipping, netcal"),
                Calibration.netcal().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Calibration.standard().withSampleThreshold(0));
        assertTrue(e.getMessage().contains("sampleThreshold=0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Calibration.withBins(10, 10, null));
    }

    @Test
    void badProbabilitiesAreRefused() {
        Calibration c = Calibration.standard();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.ofProbabilities(new float[] {0.5f, 0.4f}, 2, new int[] {0}));
        assertTrue(e.getMessage().contains("sums to"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> c.ofProbabilities(new float[] {Float.NaN, 1}, 2, new int[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> c.ofLogits(new float[] {Float.POSITIVE_INFINITY, 1}, 2, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> c.ofLogits(new float[] {1, 2}, 2, new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> Calibration.withBins(0));
    }
}
