package dev.excon.eval;

import dev.excon.Provenance;
import dev.excon.eval.embedding.TsneResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything {@link PaperProtocol} measured for one trained run.
 *
 * @param run the run's name in tables and legends
 * @param accuracy top-1, top-5, per class and confusion on the test set
 * @param dropIncrease the reference's four explanation scores (15% of pixels kept, predicted class)
 * @param deletionInsertion deletion and insertion curves and areas
 * @param fgsm accuracy and calibration under FGSM over the epsilon grid (the reference's shift)
 * @param pgd the same under PGD, or null when skipped
 * @param calibration clean test calibration
 * @param temperature temperature scaling fitted on the validation split, or null for a run without one
 * @param calibrationScaled clean test calibration after temperature scaling, or null for a run without a validation
 *     split
 * @param corruptionSuite which corruption set was used (CIFAR-C-like generated, or the official CIFAR-100-C)
 * @param corruptionAccuracy per corruption, accuracy at severities 1-5 (empty when skipped)
 * @param corruptionEce per corruption, ECE at severities 1-5 (empty when skipped), binned like {@code calibration}
 * @param tsne the t-SNE of backbone features for a class subset, or null when skipped
 * @param provenance what produced the run
 * @param seconds wall time of the evaluation
 */
public record ProtocolResult(String run, AccuracyResult accuracy, DropIncreaseResult dropIncrease,
        DeletionInsertionResult deletionInsertion, RobustnessResult fgsm, RobustnessResult pgd,
        CalibrationResult calibration, TemperatureScaling temperature, CalibrationResult calibrationScaled,
        String corruptionSuite, Map<String, double[]> corruptionAccuracy, Map<String, double[]> corruptionEce,
        TsneResult tsne, Provenance provenance, double seconds) {

    /** Copies the maps, keeping the suite's corruption order. */
    public ProtocolResult {
        corruptionAccuracy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(corruptionAccuracy));
        corruptionEce = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(corruptionEce));
    }

    /** The same result under another name (e.g. to tell apart two runs both called {@code quick}). */
    public ProtocolResult withRun(String name) {
        return new ProtocolResult(name, accuracy, dropIncrease, deletionInsertion, fgsm, pgd, calibration,
                temperature, calibrationScaled, corruptionSuite, corruptionAccuracy, corruptionEce, tsne, provenance,
                seconds);
    }

    /**
     * The edge convention of every ECE in this result (the protocol uses one for all; each calibration result records
     * its own).
     */
    public BinEdges calibrationBinEdges() {
        return calibration.binEdges();
    }

    /**
     * The headline numbers, in table order: accuracy, explanation scores, robustness at each epsilon, calibration
     * clean (ECE, adaptive ECE over equal-mass bins, netcal's average calibration error), scaled and under shift.
     */
    public Map<String, Double> headline() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("top-1", accuracy.top1());
        m.put("top-5", accuracy.topK());
        m.put("average drop", dropIncrease.averageDrop());
        m.put("increase rate", dropIncrease.increaseRate());
        m.put("deletion AUC", deletionInsertion.deletionArea());
        m.put("insertion AUC", deletionInsertion.insertionArea());
        double[] eps = fgsm.epsilons();
        for (int i = 0; i < eps.length; i++) {
            m.put(String.format("FGSM %s/255", trim(eps[i])), fgsm.accuracies()[i]);
        }
        if (pgd != null) {
            for (int i = 0; i < pgd.epsilons().length; i++) {
                m.put(String.format("PGD %s/255", trim(pgd.epsilons()[i])), pgd.accuracies()[i]);
            }
        }
        m.put("ECE", calibration.ece());
        m.put("adaptive ECE", calibration.adaptiveEce());
        m.put("average CE (netcal's ACE)", calibration.averageCalibrationError());
        m.put("NLL", calibration.nll());
        m.put("Brier", calibration.brier());
        if (calibrationScaled != null) {
            m.put("ECE (T-scaled)", calibrationScaled.ece());
            m.put("temperature", temperature.temperature());
        }
        for (int i = 0; i < eps.length; i++) {
            m.put(String.format("ECE FGSM %s/255", trim(eps[i])), fgsm.eces()[i]);
        }
        if (!corruptionEce.isEmpty()) {
            m.put("corrupted accuracy (mean)", mean(corruptionAccuracy));
            m.put("corrupted ECE (mean)", mean(corruptionEce));
        }
        return m;
    }

    private static double mean(Map<String, double[]> m) {
        double s = 0;
        int n = 0;
        for (double[] v : m.values()) {
            for (double x : v) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
