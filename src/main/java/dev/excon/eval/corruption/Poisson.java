package dev.excon.eval.corruption;

import java.util.SplittableRandom;

/**
 * Poisson random numbers: inversion by sequential search below a mean of 10, and above it the transformed rejection
 * method with squeeze PTRS of Hörmann ("The transformed rejection method for generating Poisson random variables",
 * Insurance: Mathematics and Economics 12, 1993), whose constants are the paper's. Exact for every mean.
 */
final class Poisson {

    private static final int TABLE = 2048;
    private static final double[] LOG_FACTORIAL = new double[TABLE];

    static {
        for (int k = 2; k < TABLE; k++) {
            LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
        }
    }

    private Poisson() {}

    /** One draw with mean {@code lambda >= 0}. */
    static long sample(SplittableRandom r, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("Poisson mean " + lambda + " must be finite and >= 0");
        }
        if (lambda == 0) {
            return 0;
        }
        return lambda < 10 ? inversion(r, lambda) : ptrs(r, lambda);
    }

    private static long inversion(SplittableRandom r, double lambda) {
        double u = r.nextDouble();
        double p = Math.exp(-lambda);
        double cdf = p;
        long k = 0;
        while (u > cdf && k < 1000) {
            k++;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }

    private static long ptrs(SplittableRandom r, double lambda) {
        double logLambda = Math.log(lambda);
        double b = 0.931 + 2.53 * Math.sqrt(lambda);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * logLambda - logFactorial(k)) {
                return k;
            }
        }
    }

    /** {@code ln(k!)}: a table below 2048, Stirling's series above (error below 1e-15 there). */
    static double logFactorial(long k) {
        if (k < TABLE) {
            return LOG_FACTORIAL[(int) k];
        }
        double x = k;
        double inv = 1 / x;
        double inv2 = inv * inv;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
    }
}
