package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Where each convention puts a confidence on or near an edge. The NETCAL expectations follow netcal 1.3.6: edges are
 * numpy's {@code linspace(0, 1, 11)} = {@code k * 0.1} (k < 10) and 1; a sample goes to the b with {@code e_b <= c <
 * e_b+1} ({@code np.histogramdd}/{@code np.digitize}), after {@code np.clip(X, eps, 1 - eps)} with float32's eps.
 */
class BinEdgesTest {

    @Test
    void parseAcceptsTheConfigurationNamesAndNamesTheChoicesOtherwise() {
        assertEquals(BinEdges.RIGHT_CLOSED, BinEdges.parse("right-closed"));
        assertEquals(BinEdges.RIGHT_CLOSED, BinEdges.parse("Right-Closed"));
        assertEquals(BinEdges.RIGHT_CLOSED, BinEdges.parse("GUO"));
        assertEquals(BinEdges.NETCAL, BinEdges.parse("netcal"));
        assertEquals(BinEdges.NETCAL, BinEdges.parse("NetCal"));
        for (String bad : new String[] {"right_closed", "left-closed", "", "netcal2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinEdges.parse(bad));
            assertTrue(e.getMessage().contains("\"" + bad + "\"") && e.getMessage().contains("right-closed")
                    && e.getMessage().contains("guo") && e.getMessage().contains("netcal"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> BinEdges.parse(null));
        assertEquals("(a, b], Guo et al.", BinEdges.RIGHT_CLOSED.description());
        assertEquals("[a, b) after clipping, netcal", BinEdges.NETCAL.description());
        assertEquals("NETCAL", BinEdges.NETCAL.toString(), "the constant's name, as files and configurations spell it");
    }

    @Test
    void netcalEdgesAreNumpysLinspaceNotTheNearestDecimals() {
        // linspace(0, 1, 11): arange(11) * 0.1, last set to 1. 3 * 0.1, 6 * 0.1 and 7 * 0.1 round one ulp above the
        // doubles nearest 0.3, 0.6 and 0.7; the others are those doubles.
        double[] numpy = {0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8,
            0.9, 1.0};
        double[] decimal = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        for (int k = 0; k <= 10; k++) {
            assertEquals(numpy[k], BinEdges.NETCAL.edge(k, 10), 0, "netcal edge " + k);
            assertEquals(decimal[k], BinEdges.RIGHT_CLOSED.edge(k, 10), 0, "(a, b] edge " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> BinEdges.NETCAL.edge(11, 10));
        assertThrows(IllegalArgumentException.class, () -> BinEdges.RIGHT_CLOSED.edge(0, 0));
    }

    /**
     * Doubles at the tenths, 10 bins. (a, b]: the value k/10 closes bin k - 1. [a, b): a value equal to its edge
     * opens bin k; but the doubles 0.3, 0.6, 0.7 are one ulp below netcal's edges (see above), so they stay in bin k
     * - 1 as under (a, b]. 0.30000000000000004 (= 3 * 0.1) is above the (a, b] edge 0.3 and on netcal's: bin 3 in
     * both. 1.0 is in the last bin in both (netcal's histogram closes its last bin; netcal clips it first anyway).
     */
    @Test
    void doublesOnTheTenths() {
        double[] c = {0.0, 0.1, 0.2, 0.3, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        int[] rightClosed = {0, 0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9};
        int[] netcal = {0, 1, 2, 2, 3, 4, 5, 5, 6, 8, 9, 9};
        for (int i = 0; i < c.length; i++) {
            assertEquals(rightClosed[i], BinEdges.RIGHT_CLOSED.binOf(c[i], 10), "(a, b] of " + c[i]);
            assertEquals(rightClosed[i], Calibration.binOf(c[i], 10), "Calibration.binOf is (a, b]: " + c[i]);
            assertEquals(netcal[i], BinEdges.NETCAL.binOf(c[i], 10), "[a, b) of " + c[i]);
        }
    }

    /**
     * Float32 tenths, compared through their exact values: 0.1f = 0.100000001490..., 0.2f = 0.200000002980...,
     * 0.3f = 0.300000011920..., 0.4f = 0.400000005960..., 0.6f = 0.600000023841..., 0.8f = 0.800000011920... lie
     * above both edges; 0.7f = 0.699999988079... and 0.9f = 0.899999976158... below both. Only 0.5f is on an edge,
     * so it is the only one the conventions disagree on.
     */
    @Test
    void float32TenthsDifferOnlyAtOneHalf() {
        float[] c = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
        int[] rightClosed = {1, 2, 3, 4, 4, 6, 6, 8, 8};
        int[] netcal = {1, 2, 3, 4, 5, 6, 6, 8, 8};
        for (int i = 0; i < c.length; i++) {
            assertEquals(rightClosed[i], BinEdges.RIGHT_CLOSED.binOf(c[i], 10), "(a, b] of " + c[i] + "f");
            assertEquals(netcal[i], BinEdges.NETCAL.binOf(c[i], 10), "[a, b) of " + c[i] + "f");
        }
    }

    @Test
    void zeroAndOneAndTheClipping() {
        double eps = Math.pow(2, -23); // np.finfo(np.float32).eps
        assertEquals(eps, BinEdges.NETCAL_EPSILON, 0);
        assertEquals(1 - eps, BinEdges.NETCAL.confidence(1.0), 0);
        assertEquals(0.99999988079071044921875, BinEdges.NETCAL.confidence(1.0), 0, "1 - 2^-23 exactly");
        assertEquals(eps, BinEdges.NETCAL.confidence(0.0), 0);
        assertEquals(0.5, BinEdges.NETCAL.confidence(0.5), 0, "inside the range nothing changes");
        assertEquals(1.0, BinEdges.RIGHT_CLOSED.confidence(1.0), 0, "(a, b] does not clip");
        assertEquals(0.0, BinEdges.RIGHT_CLOSED.confidence(0.0), 0);
        assertEquals(0, BinEdges.RIGHT_CLOSED.binOf(0.0, 10), "(a, b]: 0 joins the first bin");
        assertEquals(0, BinEdges.NETCAL.binOf(0.0, 10));
        assertEquals(0, BinEdges.NETCAL.binOf(eps, 10));
        assertEquals(9, BinEdges.RIGHT_CLOSED.binOf(1.0, 10));
        assertEquals(9, BinEdges.NETCAL.binOf(1.0, 10));
        assertEquals(9, BinEdges.NETCAL.binOf(1 - eps, 10));
        for (BinEdges e : BinEdges.values()) {
            assertThrows(IllegalArgumentException.class, () -> e.binOf(Double.NaN, 10));
            assertThrows(IllegalArgumentException.class, () -> e.binOf(1.0000001, 10));
            assertThrows(IllegalArgumentException.class, () -> e.binOf(-0.0000001, 10));
            assertThrows(IllegalArgumentException.class, () -> e.binOf(0.5, 0));
        }
    }

    /** For many B: each edge goes to the bin it closes (a, b] or opens [a, b); its neighbouring doubles to the next. */
    @Test
    void everyEdgeForManyBinCounts() {
        for (int bins = 1; bins <= 40; bins++) {
            for (int k = 1; k < bins; k++) {
                double r = BinEdges.RIGHT_CLOSED.edge(k, bins);
                assertEquals(k - 1, BinEdges.RIGHT_CLOSED.binOf(r, bins), k + "/" + bins);
                assertEquals(k, BinEdges.RIGHT_CLOSED.binOf(Math.nextUp(r), bins), "above " + k + "/" + bins);
                double n = BinEdges.NETCAL.edge(k, bins);
                assertEquals(k, BinEdges.NETCAL.binOf(n, bins), k + " * (1/" + bins + ")");
                assertEquals(k - 1, BinEdges.NETCAL.binOf(Math.nextDown(n), bins), "below " + k + " * 1/" + bins);
            }
        }
    }
}
