package dev.excon.eval;

import dev.excon.Provenance;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy and calibration on clean and attacked images over an epsilon grid (see {@link Robustness}).
 *
 * @param attack the attack's settings other than its radius ({@link Attack#settings()}), e.g. {@code FGSM}
 * @param epsilons (E) the radii in /255 units
 * @param clean accuracy on the clean images
 * @param cleanCalibration calibration on the clean images
 * @param adversarial (E) accuracy on the images attacked at each radius
 * @param calibration (E) calibration on the images attacked at each radius (the reference's ECE under FGSM shift)
 * @param provenance what produced the numbers, or null when the caller did not provide it
 */
public record RobustnessResult(String attack, double[] epsilons, AccuracyResult clean,
        CalibrationResult cleanCalibration, List<AccuracyResult> adversarial, List<CalibrationResult> calibration,
        Provenance provenance) {

    /** (E) top-1 accuracy at each radius. */
    public double[] accuracies() {
        double[] out = new double[adversarial.size()];
        for (int e = 0; e < out.length; e++) {
            out[e] = adversarial.get(e).top1();
        }
        return out;
    }

    /** (E) ECE at each radius. */
    public double[] eces() {
        double[] out = new double[calibration.size()];
        for (int e = 0; e < out.length; e++) {
            out[e] = calibration.get(e).ece();
        }
        return out;
    }

    /** The same result carrying {@code provenance}. */
    public RobustnessResult withProvenance(Provenance provenance) {
        return new RobustnessResult(attack, epsilons, clean, cleanCalibration, adversarial, calibration, provenance);
    }

    /** A table: one row for the clean images, then one per radius. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Robustness[" + attack + ", N=" + clean.count() + "]");
        if (provenance != null) {
            s.append("\n  ").append(provenance.caption());
        }
        s.append(String.format(Locale.ROOT, "%n  %-9s %8s %8s %8s %8s %8s", "eps", "top-1", "top-" + clean.k(), "ECE",
                "NLL", "Brier"));
        row(s, "clean", clean, cleanCalibration);
        for (int e = 0; e < epsilons.length; e++) {
            row(s, Attacks.format(epsilons[e]) + "/255", adversarial.get(e), calibration.get(e));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String name, AccuracyResult a, CalibrationResult c) {
        s.append(String.format(Locale.ROOT, "%n  %-9s %8.4f %8.4f %8.4f %8.4f %8.4f", name, a.top1(), a.topK(), c.ece(),
                c.nll(), c.brier()));
    }
}
