package dev.excon.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    /** A run's headline numbers, named as ProtocolResult.headline() names them. */
    static Map<String, Double> run(double top1, double drop, double increase, double fgsm1, double fgsm2,
            double ece1, double ece2) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("top-1", top1);
        m.put("average drop", drop);
        m.put("increase rate", increase);
        m.put("FGSM 1/255", fgsm1);
        m.put("FGSM 2/255", fgsm2);
        m.put("ECE", 0.05);
        m.put("ECE FGSM 1/255", ece1);
        m.put("ECE FGSM 2/255", ece2);
        return m;
    }

    /**
     * Three methods, five seeds. Against SUPCON, EXCON's top-1 is higher on every seed by about 0.02 (clearly
     * better), its average drop higher by about 0.05 (lower is better: clearly worse), its FGSM accuracies wander
     * either side (no evidence) and its ECE under FGSM is lower by about 0.01 (better).
     */
    static Comparison threeMethods() {
        double[] top1 = {0.70, 0.72, 0.69, 0.71, 0.73};
        double[] dTop1 = {0.020, 0.025, 0.018, 0.022, 0.019};
        double[] drop = {0.30, 0.32, 0.28, 0.31, 0.29};
        double[] dDrop = {0.050, 0.060, 0.045, 0.055, 0.050};
        double[] fgsm = {0.40, 0.42, 0.38, 0.41, 0.39};
        double[] dFgsm = {0.010, -0.012, 0.005, -0.008, 0.002};
        double[] ece = {0.10, 0.12, 0.11, 0.09, 0.10};
        double[] dEce = {-0.010, -0.012, -0.009, -0.011, -0.010};
        Map<String, Map<Long, Map<String, Double>>> runs = new LinkedHashMap<>();
        for (String m : List.of("SUPCON", "EXCON", "SIMCLR")) {
            runs.put(m, new TreeMap<>());
        }
        for (int s = 0; s < 5; s++) {
            long seed = 100 + s;
            runs.get("SUPCON").put(seed, run(top1[s], drop[s], 0.2, fgsm[s], fgsm[s] - 0.1, ece[s], ece[s] + 0.05));
            runs.get("EXCON").put(seed, run(top1[s] + dTop1[s], drop[s] + dDrop[s], 0.25, fgsm[s] + dFgsm[s],
                    fgsm[s] - 0.1 + dFgsm[s], ece[s] + dEce[s], ece[s] + 0.05 + dEce[s]));
            runs.get("SIMCLR").put(seed, run(top1[s] - 0.1, drop[s] + 0.1, 0.1, fgsm[s] - 0.05, fgsm[s] - 0.15,
                    ece[s] + 0.02, ece[s] + 0.07));
        }
        return Comparison.of(runs);
    }

    @Test
    void theFourClaimsGetTheirVerdicts() {
        List<Claim> claims = threeMethods().claims("SUPCON", "EXCON");
        assertEquals(List.of("classification", "explanation quality", "adversarial robustness",
                "calibration under shift"), claims.stream().map(Claim::name).toList());
        Claim top1 = claims.get(0);
        assertEquals(Claim.Outcome.BETTER, top1.outcome());
        assertEquals("EXCON better", top1.verdict());
        assertEquals(0.0208, top1.difference(), 1e-12);
        assertEquals(5, top1.n());
        assertTrue(top1.ciLow() > 0 && top1.tPValue() < 0.05);
        // five seeds: the Wilcoxon test cannot reach 5% (its floor is 2 / 2^5), and the note says so
        assertEquals(0.0625, top1.wilcoxonPValue(), 1e-12);
        assertTrue(top1.note().contains("smallest two-sided Wilcoxon p is 0.0625"), top1.note());

        Claim explanation = claims.get(1);
        assertEquals(Claim.Outcome.WORSE, explanation.outcome());
        assertEquals("EXCON worse", explanation.verdict());
        assertEquals("average drop", explanation.measure());
        assertTrue(explanation.also().startsWith("increase rate (higher is better): +0.0500"), explanation.also());

        Claim robustness = claims.get(2);
        assertEquals(Claim.Outcome.NO_EVIDENCE, robustness.outcome());
        assertEquals("no evidence either way at this budget", robustness.verdict());
        assertEquals("FGSM accuracy, mean over 2 epsilons", robustness.measure());
        assertEquals(-0.0006, robustness.difference(), 1e-12, "mean over epsilons per seed, then over seeds");

        Claim shift = claims.get(3);
        assertEquals(Claim.Outcome.BETTER, shift.outcome(), "lower ECE under shift is better");
        assertEquals(-0.0104, shift.difference(), 1e-12);
        assertTrue(shift.measure().contains("2 FGSM ECE"), shift.measure());
        assertTrue(shift.rule().contains("lower is better") && shift.rule().contains("p < 0.05"), shift.rule());
    }

    @Test
    void theRuleNeedsBothTheIntervalAndTheTTest() {
        // the interval excludes 0 but p = 0.07: no verdict
        assertEquals(Claim.Outcome.NO_EVIDENCE, Comparison.decide(0.02, 0.001, 0.039, 0.07, true));
        // p = 0.01 but the interval straddles 0: no verdict
        assertEquals(Claim.Outcome.NO_EVIDENCE, Comparison.decide(0.02, -0.001, 0.041, 0.01, true));
        // missing numbers never count
        assertEquals(Claim.Outcome.NO_EVIDENCE, Comparison.decide(0.02, Double.NaN, Double.NaN, Double.NaN, true));
        // both: the sign and the direction decide
        assertEquals(Claim.Outcome.BETTER, Comparison.decide(0.02, 0.001, 0.039, 0.01, true));
        assertEquals(Claim.Outcome.WORSE, Comparison.decide(0.02, 0.001, 0.039, 0.01, false));
        assertEquals(Claim.Outcome.BETTER, Comparison.decide(-0.02, -0.039, -0.001, 0.01, false));
    }

    @Test
    void summariesAndPairsFollowTheMapOrder() {
        Comparison c = threeMethods();
        assertEquals(List.of("SUPCON", "EXCON", "SIMCLR"), c.methods());
        assertEquals(8, c.measures().size());
        assertEquals(8 * 3, c.summaries().size());
        assertEquals("SUPCON", c.summaries().get(0).method());
        assertEquals("top-1", c.summaries().get(2).measure());
        assertEquals("average drop", c.summaries().get(3).measure(), "measures first, methods within");
        List<PairedComparison> pairs = c.pairs();
        assertEquals(8 * 3, pairs.size());
        assertEquals(List.of("SUPCON-EXCON", "SUPCON-SIMCLR", "EXCON-SIMCLR"), pairs.subList(0, 3).stream()
                .map(p -> p.methodA() + "-" + p.methodB()).toList());
        assertEquals(-0.0208, pairs.get(0).meanDifference(), 1e-12, "A - B");
        assertEquals(List.of(100L, 101L, 102L, 103L, 104L), pairs.get(0).seeds());
    }

    @Test
    void aClaimWithoutItsMeasuresSaysSo() {
        Map<String, Map<Long, Map<String, Double>>> runs = new LinkedHashMap<>();
        runs.put("A", Map.of(1L, Map.of("top-1", 0.5), 2L, Map.of("top-1", 0.6)));
        runs.put("B", Map.of(1L, Map.of("top-1", 0.4), 2L, Map.of("top-1", 0.45)));
        List<Claim> claims = Comparison.of(runs).claims("A", "B");
        assertEquals(Claim.Outcome.NO_EVIDENCE, claims.get(2).outcome());
        assertEquals(0, claims.get(2).n());
        assertTrue(claims.get(2).note().contains("not measured"), claims.get(2).note());
        assertTrue(claims.get(1).note().contains("no shared seed"), claims.get(1).note());
    }

    @Test
    void badInputNamesTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Comparison.of(Map.of()));
        assertTrue(e.getMessage().contains("at least one method"), e.getMessage());
        Map<String, Map<Long, Map<String, Double>>> runs = new LinkedHashMap<>();
        runs.put("EXCON", null);
        e = assertThrows(IllegalArgumentException.class, () -> Comparison.of(runs));
        assertTrue(e.getMessage().contains("'EXCON'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> threeMethods().claims("SUPCON", "EXCOM"));
        assertTrue(e.getMessage().contains("'EXCOM'") && e.getMessage().contains("EXCON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> threeMethods().claims("EXCON", "EXCON"));
        assertTrue(e.getMessage().contains("'EXCON'"), e.getMessage());
    }
}
