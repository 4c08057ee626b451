package dev.excon.experiment;

import java.util.List;

/**
 * Two methods on one measure, paired over the seeds both have: the mean of the per-seed differences A - B with its
 * 95% t interval, the two-sided paired t-test and the two-sided Wilcoxon signed-rank test. Pairing by seed removes
 * what the seed does to both methods alike (data order, initialisation), so it needs fewer seeds than comparing the
 * two means.
 *
 * <p>The Wilcoxon p-value is Apache Commons Statistics' default: exact when fewer than 50 seeds and no zero or tied
 * differences, otherwise the normal approximation with tie and continuity correction. Zero differences follow
 * Pratt's signed-rank zero procedure (ranked with the others, then left out of the statistic).
 *
 * @param measure the measure's name
 * @param methodA the first method (the difference is A - B)
 * @param methodB the second method
 * @param seeds the shared seeds with a value for both, ascending
 * @param n the number of shared seeds ({@code seeds.size()})
 * @param meanDifference the mean of A - B over the shared seeds; NaN when n = 0
 * @param ciLow the lower end of the 95% t interval of the mean difference; NaN when n &lt; 2
 * @param ciHigh the upper end; NaN when n &lt; 2
 * @param tStatistic the paired t statistic (df = n - 1); NaN when n &lt; 2 or every difference is zero
 * @param tPValue the two-sided paired t-test p-value; NaN when n &lt; 2 or every difference is zero
 * @param wilcoxonStatistic the signed-rank statistic W+ (the sum of the ranks of positive differences, R's V)
 * @param wilcoxonPValue the two-sided Wilcoxon signed-rank p-value; NaN when n &lt; 2 or every difference is zero
 * @param note a plain sentence when the evidence is thin (too few seeds, all differences zero or equal, ties or
 *     zeros in the Wilcoxon test), else ""
 */
public record PairedComparison(String measure, String methodA, String methodB, List<Long> seeds, int n,
        double meanDifference, double ciLow, double ciHigh, double tStatistic, double tPValue,
        double wilcoxonStatistic, double wilcoxonPValue, String note) {

    /** Copies the seed list. */
    public PairedComparison {
        seeds = List.copyOf(seeds);
    }

    /** Whether the 95% interval of the difference lies wholly above or wholly below 0. */
    public boolean intervalExcludesZero() {
        return ciLow > 0 || ciHigh < 0;
    }
}
