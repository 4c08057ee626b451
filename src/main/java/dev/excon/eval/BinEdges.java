package dev.excon.eval;

import java.util.Locale;

/**
 * Which equal-width bin a top-label confidence falls in when it lies exactly on an edge, and whether it is clipped
 * first: the one place where this project's ECE (Guo et al., ICML 2017) and the reference's (netcal 1.3.6's {@code
 * ECE()}, 10 bins) differ on the same predictions.
 *
 * <p>Bin b of B (b = 0..B-1), edges e_b:
 *
 * <pre>
 *   RIGHT_CLOSED  (e_b, e_b+1]   e_b = b / B                      confidence 0 in bin 0; no clipping
 *   NETCAL        [e_b, e_b+1)   e_b = b * (1 / B), e_B = 1       confidence clipped to [2^-23, 1 - 2^-23] first
 * </pre>
 *
 * <p>So with 10 bins a confidence of exactly 0.5 is in bin 4 under RIGHT_CLOSED and in bin 5 under NETCAL. NETCAL's
 * edges are numpy's {@code linspace(0, 1, B + 1)}, which for B = 10 makes 0.3, 0.6 and 0.7 one ulp larger than the
 * doubles nearest 3/10, 6/10 and 7/10: the double 0.3 is then below its edge and lands in bin 2 under both
 * conventions, while 0.1, 0.2, 0.4, 0.5, 0.8 and 0.9 land one bin higher under NETCAL. A float32 confidence is
 * compared through its exact value: 0.1f is 0.10000000149..., above both edges, so of the float32 tenths only 0.5f
 * sits on an edge. netcal clips the probabilities with the machine epsilon of their dtype; the reference passes
 * float32 softmax outputs, hence 2^-23 (about 1.19e-7): a confidence of 1.0 counts as 1 - 2^-23 in the bin's mean.
 */
public enum BinEdges {

    /** {@code (a, b]}, confidence 0 in the first bin, no clipping: Guo et al.'s convention and the default. */
    RIGHT_CLOSED("(a, b], Guo et al."),

    /**
     * {@code [a, b)} after clipping to {@code [2^-23, 1 - 2^-23]}, edges {@code b * (1 / B)}: netcal's {@code ECE()}
     * on float32 probabilities (numpy's {@code histogramdd} and scipy's {@code binned_statistic_dd}), the reference's
     * setting.
     */
    NETCAL("[a, b) after clipping, netcal");

    /** netcal's clipping epsilon for float32 probabilities: {@code np.finfo(np.float32).eps = 2^-23}. */
    public static final double NETCAL_EPSILON = Math.ulp(1.0f);

    private final String description;

    BinEdges(String description) {
        this.description = description;
    }

    /** A short description for tables and {@code toString}, e.g. {@code "(a, b], Guo et al."}. */
    public String description() {
        return description;
    }

    /**
     * The convention named by {@code value}, case-insensitive: {@code right-closed} or {@code guo} for {@link
     * #RIGHT_CLOSED}, {@code netcal} for {@link #NETCAL}.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static BinEdges parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "right-closed":
            case "guo":
                return RIGHT_CLOSED;
            case "netcal":
                return NETCAL;
            default:
                throw new IllegalArgumentException("calibration bin edges \"" + value + "\" are unknown: use "
                        + "right-closed (or guo) for (a, b], or netcal for netcal's [a, b) after clipping");
        }
    }

    /**
     * The confidence as this convention bins and averages it: unchanged for RIGHT_CLOSED, clipped to {@code
     * [2^-23, 1 - 2^-23]} for NETCAL.
     */
    public double confidence(double confidence) {
        return this == NETCAL ? Math.min(Math.max(confidence, NETCAL_EPSILON), 1 - NETCAL_EPSILON) : confidence;
    }

    /**
     * Edge k of B equal-width bins (k = 0..B): {@code k / B} for RIGHT_CLOSED, {@code k * (1 / B)} (and exactly 1 for
     * k = B) for NETCAL, as numpy's {@code linspace} makes them.
     */
    public double edge(int k, int bins) {
        if (bins < 1 || k < 0 || k > bins) {
            throw new IllegalArgumentException("edge " + k + " of " + bins + " bins: need bins >= 1, 0 <= k <= bins");
        }
        if (this == RIGHT_CLOSED) {
            return (double) k / bins;
        }
        return k == bins ? 1.0 : k * (1.0 / bins);
    }

    /**
     * The equal-width bin of a confidence already passed through {@link #confidence(double)}: RIGHT_CLOSED, the b
     * with {@code e_b < c <= e_b+1} (0 for c = 0); NETCAL, the b with {@code e_b <= c < e_b+1} (B - 1 for c = 1, as
     * numpy's histogram closes its last bin).
     *
     * @param confidence in [0, 1]
     * @param bins B
     */
    public int binOf(double confidence, int bins) {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence=" + confidence + " is outside [0, 1]");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins=" + bins + " must be >= 1");
        }
        if (this == RIGHT_CLOSED) {
            int b = Math.max(0, Math.min(bins - 1, (int) Math.ceil(confidence * bins) - 1));
            // confidence * bins may round across an edge: settle against the exact edges.
            while (b > 0 && confidence <= edge(b, bins)) {
                b--;
            }
            while (b < bins - 1 && confidence > edge(b + 1, bins)) {
                b++;
            }
            return b;
        }
        int b = Math.min(bins - 1, (int) (confidence * bins));
        while (b > 0 && confidence < edge(b, bins)) {
            b--;
        }
        while (b < bins - 1 && confidence >= edge(b + 1, bins)) {
            b++;
        }
        return b;
    }
}
