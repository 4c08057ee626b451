package dev.excon.experiment;

/**
 * One of the paper's four claims (classification, explanation quality, adversarial robustness, calibration under
 * shift) checked over seeds: {@code method} against {@code baseline}, paired by seed. See {@link
 * Comparison#claims(String, String)} for the measures and the rule.
 *
 * @param name the claim, e.g. "classification"
 * @param measure the measure the verdict rests on, e.g. "top-1" or "FGSM accuracy (mean over 3 epsilons)"
 * @param higherIsBetter whether a larger value of {@code measure} is better
 * @param outcome better, worse or no evidence, for code
 * @param verdict the outcome in words with the method's name: "EXCON better", "EXCON worse" or "no evidence either way
 *     at this budget"
 * @param difference the mean paired difference method - baseline on {@code measure}
 * @param ciLow the lower end of its 95% t interval
 * @param ciHigh the upper end
 * @param tPValue the two-sided paired t-test p-value
 * @param wilcoxonPValue the two-sided Wilcoxon signed-rank p-value
 * @param n the number of shared seeds
 * @param rule the decision rule, in words
 * @param also a second number shown with the claim but not deciding it (explanation quality: the increase rate's
 *     difference and interval), else ""
 * @param note why the evidence is thin or what was missing, else ""
 */
public record Claim(String name, String measure, boolean higherIsBetter, Outcome outcome, String verdict,
        double difference, double ciLow, double ciHigh, double tPValue, double wilcoxonPValue, int n, String rule,
        String also, String note) {

    /** What the paired evidence says about the method against the baseline. */
    public enum Outcome {
        /** Better, by the rule. */
        BETTER,
        /** Worse, by the rule. */
        WORSE,
        /** Neither shown at this number of seeds. */
        NO_EVIDENCE
    }
}
