package dev.excon.experiment;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One measure of one method over its seeds: the mean, the sample standard deviation and the 95% two-sided t interval
 * of the mean, {@code mean ± t(0.975, n-1) * sd / sqrt(n)}. The interval says how well the seeds pin down the mean;
 * it assumes the per-seed values are independent draws from a roughly normal distribution.
 *
 * @param measure the measure's name, e.g. "top-1" (a key of {@link dev.excon.eval.ProtocolResult#headline()})
 * @param method the method's name, e.g. "EXCON"
 * @param n the number of seeds with a value
 * @param mean the mean over seeds
 * @param standardDeviation the sample standard deviation (divisor n - 1); NaN when n &lt; 2
 * @param ciLow the lower end of the 95% t interval; NaN when n &lt; 2
 * @param ciHigh the upper end of the 95% t interval; NaN when n &lt; 2
 * @param bySeed the per-seed values, ordered by seed
 */
public record SeedSummary(String measure, String method, int n, double mean, double standardDeviation, double ciLow,
        double ciHigh, Map<Long, Double> bySeed) {

    /** Copies {@code bySeed} into seed order. */
    public SeedSummary {
        bySeed = Collections.unmodifiableMap(new TreeMap<>(bySeed));
    }

    /** Half the interval's width ({@code t * sd / sqrt(n)}); NaN when n &lt; 2. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }
}
