package dev.excon.eval;

import dev.excon.Provenance;
import java.util.List;
import java.util.Locale;

/**
 * How well the top-label confidences of N predictions match their accuracy (see {@link Calibration} for the
 * definitions and the bin edges). Every value is a fraction, not a percentage.
 *
 * @param count N
 * @param ece expected calibration error over equal-width bins: {@code sum_b n_b / N * |acc_b - conf_b|}
 * @param mce maximum calibration error: {@code max_b |acc_b - conf_b|} over the equal-width bins that count
 * @param adaptiveEce the ECE sum over equal-mass bins (each holds N / B samples, give or take one); "adaptive ECE"
 * @param averageCalibrationError the mean of {@code |acc_b - conf_b|} over the non-empty equal-width bins (netcal's
 *     "ACE", not the adaptive ECE; bins under the sample threshold add 0 but still count as non-empty)
 * @param nll mean negative log-likelihood of the true class, natural log
 * @param brier multi-class Brier score: mean over samples of {@code sum_k (p_k - 1[k = y])^2}, in [0, 2]
 * @param accuracy top-1 accuracy of the same predictions
 * @param meanConfidence mean top-label confidence (never clipped)
 * @param bins the equal-width reliability bins, B of them, empty ones included
 * @param adaptiveBins the equal-mass bins (fewer than requested when N is smaller than their number)
 * @param binEdges the convention the equal-width bins were made with
 * @param sampleThreshold equal-width bins with fewer samples were left out of ECE, MCE and ACE (1: only empty ones)
 * @param provenance what produced the numbers, or null when the caller did not provide it
 */
public record CalibrationResult(long count, double ece, double mce, double adaptiveEce,
        double averageCalibrationError, double nll, double brier, double accuracy, double meanConfidence,
        List<ReliabilityBin> bins, List<ReliabilityBin> adaptiveBins, BinEdges binEdges, int sampleThreshold,
        Provenance provenance) {

    /** Checks that the convention is named. */
    public CalibrationResult {
        if (binEdges == null) {
            throw new IllegalArgumentException("binEdges is null: name the convention the bins were made with, "
                    + "BinEdges.RIGHT_CLOSED or BinEdges.NETCAL");
        }
        if (sampleThreshold < 1) {
            throw new IllegalArgumentException("sampleThreshold=" + sampleThreshold + " must be >= 1");
        }
    }

    /** The same result carrying {@code provenance}. */
    public CalibrationResult withProvenance(Provenance provenance) {
        return new CalibrationResult(count, ece, mce, adaptiveEce, averageCalibrationError, nll, brier, accuracy,
                meanConfidence, bins, adaptiveBins, binEdges, sampleThreshold, provenance);
    }

    /**
     * How the ECE was binned, for captions: e.g. {@code "10 equal-width bins (a, b], Guo et al."}, plus the sample
     * threshold when it is not 1.
     */
    public String binning() {
        return bins.size() + " equal-width bins " + binEdges.description()
                + (sampleThreshold == 1 ? "" : ", bins under " + sampleThreshold + " samples left out");
    }

    /** The lower edge, upper edge, count, mean confidence and accuracy of each equal-width bin, as columns. */
    public double[][] reliabilityColumns() {
        double[][] out = new double[5][bins.size()];
        for (int b = 0; b < bins.size(); b++) {
            ReliabilityBin r = bins.get(b);
            out[0][b] = r.lower();
            out[1][b] = r.upper();
            out[2][b] = r.count();
            out[3][b] = r.meanConfidence();
            out[4][b] = r.accuracy();
        }
        return out;
    }

    /** A summary line, then the reliability bins with their edges written as the convention closes them. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Calibration[N=%d, ECE %.4f (%s), MCE %.4f, adaptive ECE %.4f, average CE (netcal's ACE) %.4f, "
                        + "NLL %.4f, Brier %.4f, accuracy %.4f, mean confidence %.4f]",
                count, ece, binning(), mce, adaptiveEce, averageCalibrationError, nll, brier, accuracy,
                meanConfidence));
        if (provenance != null) {
            s.append("\n  ").append(provenance.caption());
        }
        s.append(String.format(Locale.ROOT, "%n  %-14s %8s %10s %9s", "bin", "count", "confidence", "accuracy"));
        boolean netcal = binEdges == BinEdges.NETCAL;
        for (int i = 0; i < bins.size(); i++) {
            ReliabilityBin b = bins.get(i);
            // (a, b] with 0 in the first bin; or [a, b) with the last bin closed (numpy's histogram).
            String open = netcal || i == 0 ? "[" : "(";
            String close = netcal && i < bins.size() - 1 ? ")" : "]";
            s.append(String.format(Locale.ROOT, "%n  %s%.3f, %.3f%s %8d %10.4f %9.4f", open, b.lower(), b.upper(),
                    close, b.count(), b.meanConfidence(), b.accuracy()));
        }
        return s.toString();
    }
}
