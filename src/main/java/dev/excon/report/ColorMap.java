package dev.excon.report;

/**
 * Colour maps from [0, 1] to RGB for heatmaps and saliency overlays. Values outside [0, 1] are clamped; NaN maps to
 * the low end.
 */
public enum ColorMap {
    /**
     * MATLAB's jet, piecewise linear: dark blue, blue, cyan, yellow, red, dark red. The usual Grad-CAM overlay
     * colours.
     */
    JET {
        @Override
        public int rgb(double v) {
            double t = clamp(v);
            return pack(jetChannel(t - 0.25), jetChannel(t), jetChannel(t + 0.25));
        }
    },
    /**
     * matplotlib's viridis, perceptually uniform and readable in gray: linear interpolation between 17 of its 256
     * entries (the colour map is CC0, by van der Walt and Smith).
     */
    VIRIDIS {
        @Override
        public int rgb(double v) {
            return fromTable(VIRIDIS_TABLE, clamp(v));
        }
    },
    /** Black to white. */
    GRAY {
        @Override
        public int rgb(double v) {
            float t = (float) clamp(v);
            return pack(t, t, t);
        }
    };

    /** viridis at 0, 16, 32, ..., 240, 255 of 255. */
    private static final float[][] VIRIDIS_TABLE = {
        {0.267004f, 0.004874f, 0.329415f}, {0.282327f, 0.094955f, 0.417331f}, {0.278826f, 0.175490f, 0.483397f},
        {0.258965f, 0.251537f, 0.524736f}, {0.229739f, 0.322361f, 0.545706f}, {0.199430f, 0.387607f, 0.554642f},
        {0.172719f, 0.448791f, 0.557885f}, {0.149039f, 0.508051f, 0.557250f}, {0.127568f, 0.566949f, 0.550556f},
        {0.120638f, 0.625828f, 0.533488f}, {0.157851f, 0.683765f, 0.501686f}, {0.246070f, 0.738910f, 0.452024f},
        {0.369214f, 0.788888f, 0.382914f}, {0.515992f, 0.831158f, 0.294279f}, {0.678489f, 0.863742f, 0.189503f},
        {0.845561f, 0.887322f, 0.099702f}, {0.993248f, 0.906157f, 0.143936f},
    };
    private static final float[] VIRIDIS_POSITIONS = {
        0f, 16f / 255, 32f / 255, 48f / 255, 64f / 255, 80f / 255, 96f / 255, 112f / 255, 128f / 255, 144f / 255,
        160f / 255, 176f / 255, 192f / 255, 208f / 255, 224f / 255, 240f / 255, 1f,
    };

    /** The colour of {@code v} as 0xRRGGBB. */
    public abstract int rgb(double v);

    /** The colour of {@code v} as a {@link java.awt.Color}. */
    public java.awt.Color color(double v) {
        return new java.awt.Color(rgb(v));
    }

    /** {@code n >= 2} evenly spaced colours from 0 to 1, e.g. for XChart's heatmap range colours. */
    public java.awt.Color[] palette(int n) {
        java.awt.Color[] c = new java.awt.Color[n];
        for (int i = 0; i < n; i++) {
            c[i] = color(n == 1 ? 0 : (double) i / (n - 1));
        }
        return c;
    }

    static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }

    private static float jetChannel(double t) {
        // The green channel's trapezoid: 0 below 1/8, rising to 1 at 3/8, flat to 5/8, 0 again at 7/8; red and
        // blue are the same shape shifted by a quarter (so they start and end at 0.5).
        double x = 1.5 - Math.abs(4 * t - 2);
        return (float) Math.max(0, Math.min(1, x));
    }

    private static int fromTable(float[][] table, double t) {
        int k = 0;
        while (k < VIRIDIS_POSITIONS.length - 2 && t > VIRIDIS_POSITIONS[k + 1]) {
            k++;
        }
        double f = (t - VIRIDIS_POSITIONS[k]) / (VIRIDIS_POSITIONS[k + 1] - VIRIDIS_POSITIONS[k]);
        f = Math.max(0, Math.min(1, f));
        float[] a = table[k];
        float[] b = table[k + 1];
        return pack((float) (a[0] + f * (b[0] - a[0])), (float) (a[1] + f * (b[1] - a[1])),
                (float) (a[2] + f * (b[2] - a[2])));
    }

    static int pack(float r, float g, float b) {
        return (Math.round(r * 255) << 16) | (Math.round(g * 255) << 8) | Math.round(b * 255);
    }
}
