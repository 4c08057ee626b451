package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.Provenance;
import dev.excon.Scalars;
import java.util.Locale;

/**
 * Temperature scaling (Guo et al., <a href="https://arxiv.org/abs/1706.04599">arXiv 1706.04599</a>): one scalar T > 0
 * fitted on a validation split's logits by minimising the mean negative log-likelihood of {@code softmax(z / T)},
 * then applied to test logits as {@code z / T}. Predictions (the argmax) do not change; confidences do.
 *
 * <p><b>Fitting.</b> The NLL is convex in 1/T (a log-sum-exp of a linear function minus a linear function), hence
 * unimodal in {@code u = ln T}. A golden-section search over {@code u in [ln 0.01, ln 100]} runs until the bracket is
 * narrower than {@value #TOLERANCE} (so T is found to a relative precision of about 1e-6; about 35 NLL evaluations,
 * deterministic). The result is then compared with T = 1 and T = 1 is kept unless the fitted T has a strictly lower
 * validation NLL: fitting never increases the validation NLL. A minimum beyond the interval (separable validation
 * logits, whose NLL keeps falling as T shrinks) gives the bracket's end.
 *
 * @param temperature the fitted T
 * @param nllBefore the validation NLL at T = 1
 * @param nllAfter the validation NLL at the fitted T ({@code <= nllBefore})
 * @param evaluations the number of NLL evaluations the fit made
 * @param provenance what produced the fit, or null when the caller did not provide it
 */
public record TemperatureScaling(double temperature, double nllBefore, double nllAfter, int evaluations,
        Provenance provenance) {

    /** The bracket width in ln T at which the golden-section search stops. */
    public static final double TOLERANCE = 1e-6;

    /** The search interval of T. */
    public static final double MIN_TEMPERATURE = 0.01;

    /** The search interval of T. */
    public static final double MAX_TEMPERATURE = 100;

    private static final double INVERSE_PHI = (Math.sqrt(5) - 1) / 2;

    /** Checks the temperature. */
    public TemperatureScaling {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature=" + temperature + " must be positive and finite");
        }
    }

    /** The identity scaling (T = 1), e.g. to compare against. */
    public static TemperatureScaling identity() {
        return new TemperatureScaling(1, Double.NaN, Double.NaN, 0, null);
    }

    /** Fits T on validation logits (N, C) and labels (N) on any device (one transfer each). */
    public static TemperatureScaling fit(NDArray logits, NDArray labels) {
        return fit(Logits.of(logits, labels));
    }

    /** Fits T on validation logits held on the host. */
    public static TemperatureScaling fit(Logits validation) {
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double a = hi - INVERSE_PHI * (hi - lo);
        double b = lo + INVERSE_PHI * (hi - lo);
        double fa = nll(validation, Math.exp(a));
        double fb = nll(validation, Math.exp(b));
        int evaluations = 2;
        while (hi - lo > TOLERANCE) {
            if (fa <= fb) { // the minimum lies in [lo, b]
                hi = b;
                b = a;
                fb = fa;
                a = hi - INVERSE_PHI * (hi - lo);
                fa = nll(validation, Math.exp(a));
            } else { // in [a, hi]
                lo = a;
                a = b;
                fa = fb;
                b = lo + INVERSE_PHI * (hi - lo);
                fb = nll(validation, Math.exp(b));
            }
            evaluations++;
        }
        double t = Math.exp(fa <= fb ? a : b);
        double fitted = Math.min(fa, fb);
        double before = nll(validation, 1);
        evaluations++;
        if (!(fitted < before)) {
            return new TemperatureScaling(1, before, before, evaluations, null);
        }
        return new TemperatureScaling(t, before, fitted, evaluations, null);
    }

    /**
     * The mean NLL of {@code softmax(z / temperature)} against the labels, natural log, in double precision with a
     * stable log-sum-exp.
     */
    public static double nll(Logits logits, double temperature) {
        float[] z = logits.values();
        int c = logits.numClasses();
        int[] y = logits.labels();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            int base = i * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, z[base + k]);
            }
            double s = 0;
            for (int k = 0; k < c; k++) {
                s += Math.exp((z[base + k] - max) / temperature);
            }
            sum += Math.log(s) + (max - z[base + y[i]]) / temperature;
        }
        return sum / y.length;
    }

    /** The same fit carrying {@code provenance}. */
    public TemperatureScaling withProvenance(Provenance provenance) {
        return new TemperatureScaling(temperature, nllBefore, nllAfter, evaluations, provenance);
    }

    /** Test logits divided by T. */
    public Logits apply(Logits logits) {
        return logits.scaled(temperature);
    }

    /** Logits (N, C) divided by T, a new array attached to the logits' manager. */
    public NDArray apply(NDArray logits) {
        NDManager m = logits.getManager();
        NDArray out = Scalars.div(logits, (float) temperature);
        out.attach(m);
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TemperatureScaling[T=%.6f, validation NLL %.5f -> %.5f, %d evaluations]",
                temperature, nllBefore, nllAfter, evaluations);
    }
}
