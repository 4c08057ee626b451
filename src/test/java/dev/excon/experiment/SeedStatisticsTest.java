package dev.excon.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden values from published examples (R's documented output), not from the code under test. */
class SeedStatisticsTest {

    /** Seeds 1..n carrying the values in order. */
    static Map<Long, Double> bySeed(double... v) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put((long) i + 1, v[i]);
        }
        return m;
    }

    @Test
    void pairedTTestMatchesStudentsSleepData() {
        // Cushny & Peebles via Student (1908), R's `sleep`; t.test(extra ~ group, paired = TRUE) for group 2 - 1:
        // mean difference 1.58, t = 4.0621, df = 9, p-value = 0.002833, 95% CI 0.7001 to 2.4599.
        Map<Long, Double> g1 = bySeed(0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0);
        Map<Long, Double> g2 = bySeed(1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4);
        PairedComparison c = SeedStatistics.compare("extra", "drug 2", g2, "drug 1", g1);
        assertEquals(10, c.n());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), c.seeds());
        assertEquals(1.58, c.meanDifference(), 1e-12);
        assertEquals(4.0621, c.tStatistic(), 5e-5);
        assertEquals(0.002833, c.tPValue(), 5e-7);
        assertEquals(0.7001, c.ciLow(), 5e-5);
        assertEquals(2.4599, c.ciHigh(), 5e-5);
        assertTrue(c.intervalExcludesZero());
        // Patient 5 has difference 0 and several differences tie: the library's Pratt zero procedure and the normal
        // approximation, which the note says.
        assertTrue(c.note().contains("Pratt"), c.note());
    }

    @Test
    void exactWilcoxonMatchesHollanderAndWolfe() {
        // Hollander & Wolfe (1973) p. 29, depression scale before (x) and after (y) therapy; R's ?wilcox.test:
        // wilcox.test(x, y, paired = TRUE) gives V = 40, p-value = 0.03906 (exact: 20 / 512).
        Map<Long, Double> x = bySeed(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30);
        Map<Long, Double> y = bySeed(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29);
        PairedComparison c = SeedStatistics.compare("depression", "x", x, "y", y);
        assertEquals(40, c.wilcoxonStatistic(), 0);
        assertEquals(0.0390625, c.wilcoxonPValue(), 1e-12);
        assertEquals("", c.note(), "nine seeds, no zeros, no ties: nothing thin to say");
    }

    @Test
    void summaryOfAHandComputedCase() {
        // 2, 4, 6: mean 4; deviations -2, 0, 2, sample variance (4 + 0 + 4) / 2 = 4, sd 2.
        // t(0.975, df 2) = 4.302653 (t tables: 4.303); half-width 4.302653 * 2 / sqrt(3) = 4.968275.
        SeedSummary s = SeedStatistics.summarize("top-1", "EXCON", Map.of(30L, 6.0, 10L, 2.0, 20L, 4.0));
        assertEquals(3, s.n());
        assertEquals(4.0, s.mean(), 1e-12);
        assertEquals(2.0, s.standardDeviation(), 1e-12);
        assertEquals(4.0 - 4.968275, s.ciLow(), 1e-6);
        assertEquals(4.0 + 4.968275, s.ciHigh(), 1e-6);
        assertEquals(List.of(10L, 20L, 30L), List.copyOf(s.bySeed().keySet()), "ordered by seed");
    }

    @Test
    void oneSeedHasAMeanButNoSpreadOrInterval() {
        SeedSummary s = SeedStatistics.summarize("top-1", "EXCON", Map.of(7L, 0.5));
        assertEquals(1, s.n());
        assertEquals(0.5, s.mean());
        assertTrue(Double.isNaN(s.standardDeviation()) && Double.isNaN(s.ciLow()) && Double.isNaN(s.ciHigh()));
    }

    @Test
    void nanValuesAreDroppedWithTheirSeed() {
        Map<Long, Double> a = bySeed(1.0, Double.NaN, 3.0, 4.0);
        Map<Long, Double> b = bySeed(0.0, 0.0, 1.0);
        PairedComparison c = SeedStatistics.compare("m", "A", a, "B", b);
        assertEquals(List.of(1L, 3L), c.seeds());
        assertEquals(1.5, c.meanDifference(), 1e-12);
        assertEquals(3, SeedStatistics.summarize("m", "A", a).n());
    }

    @Test
    void oneSharedSeedAllowsNoTest() {
        PairedComparison c = SeedStatistics.compare("m", "A", Map.of(1L, 0.7, 2L, 0.8), "B", Map.of(2L, 0.6));
        assertEquals(1, c.n());
        assertEquals(0.2, c.meanDifference(), 1e-12);
        assertTrue(Double.isNaN(c.tPValue()) && Double.isNaN(c.wilcoxonPValue()) && Double.isNaN(c.ciLow()));
        assertEquals("one shared seed: no test possible.", c.note());
    }

    @Test
    void threeSeedsCannotReachFivePercentWithWilcoxon() {
        // 2 / 2^3 = 0.25: with three differences all of one sign the exact two-sided p is 0.25, its minimum.
        PairedComparison c = SeedStatistics.compare("m", "A", bySeed(1.0, 2.0, 3.5), "B", bySeed(0.0, 0.0, 0.0));
        assertEquals(0.25, c.wilcoxonPValue(), 1e-12);
        assertTrue(c.note().contains("with 3 seeds the smallest two-sided Wilcoxon p is 0.25 (> 0.05): it cannot"
                + " show a difference at 5%"), c.note());
    }

    @Test
    void allZeroDifferencesAreSaidNotTested() {
        PairedComparison c = SeedStatistics.compare("m", "A", bySeed(0.5, 0.6, 0.7), "B", bySeed(0.5, 0.6, 0.7));
        assertEquals(0.0, c.meanDifference());
        assertTrue(Double.isNaN(c.tPValue()) && Double.isNaN(c.wilcoxonPValue()));
        assertTrue(c.note().startsWith("all 3 paired differences are zero"), c.note());
    }

    @Test
    void equalNonZeroDifferencesAreFlagged() {
        PairedComparison c = SeedStatistics.compare("m", "A", bySeed(1, 2, 3, 4, 5, 6), "B", bySeed(0, 1, 2, 3, 4, 5));
        assertEquals(1.0, c.meanDifference(), 1e-12);
        assertTrue(c.note().contains("all 6 paired differences equal 1.000"), c.note());
    }

    @Test
    void badInputIsRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeedStatistics.compare("top-1", "A", null, "B", Map.of()));
        assertTrue(e.getMessage().contains("'top-1'") && e.getMessage().contains("'A'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SeedStatistics.summarize("top-1", "A", Map.of(3L, Double.POSITIVE_INFINITY)));
        assertTrue(e.getMessage().contains("seed 3") && e.getMessage().contains("Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SeedStatistics.summarize(null, "A", Map.of()));
        assertTrue(e.getMessage().contains("measure=null"), e.getMessage());
        Map<Long, Double> nullSeed = new java.util.HashMap<>();
        nullSeed.put(null, 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> SeedStatistics.summarize("m", "A", nullSeed));
        assertTrue(e.getMessage().contains("null seed (value 0.5)"), e.getMessage());
    }
}
