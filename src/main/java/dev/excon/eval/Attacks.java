package dev.excon.eval;

import java.util.Locale;

/**
 * The catalogue of {@link Attack}s, radii in /255 units of [0, 1] pixels (the reference's {@code --eps 4} is {@code
 * fgsm(4)}).
 *
 * <pre>{@code
 * NDArray adv = Attacks.fgsm(4).perturb(net, images, labels);     // (N, C, H, W) in [0, 1], |adv - x| <= 4/255
 * NDArray pgd = Attacks.pgd(8).perturb(net, images, labels);      // 10 steps of 2/255, random start, seed 0
 * }</pre>
 */
public final class Attacks {

    /** PGD steps by default. */
    public static final int DEFAULT_PGD_STEPS = 10;

    private Attacks() {}

    /** FGSM with radius {@code epsilon255}/255. */
    public static Fgsm fgsm(double epsilon255) {
        return new Fgsm(epsilon255);
    }

    /** PGD with radius {@code epsilon255}/255, 10 steps of {@code 2.5 * eps / 10}, random start, seed 0. */
    public static Pgd pgd(double epsilon255) {
        return new Pgd(epsilon255, DEFAULT_PGD_STEPS, 0, false, true, 0);
    }

    /**
     * PGD with every setting.
     *
     * @param epsilon255 the radius in /255 units
     * @param steps gradient steps, at least 1
     * @param stepSize255 the step size alpha in /255 units
     * @param randomStart start from a uniform random point of the eps ball (else from x)
     * @param seed the seed of the random start
     */
    public static Pgd pgd(double epsilon255, int steps, double stepSize255, boolean randomStart, long seed) {
        return new Pgd(epsilon255, steps, stepSize255, true, randomStart, seed);
    }

    static double checkEpsilon(double epsilon255) {
        if (!(epsilon255 >= 0) || Double.isInfinite(epsilon255)) {
            throw new IllegalArgumentException("epsilon=" + epsilon255 + "/255 must be finite and >= 0 (in /255 units,"
                    + " e.g. 4 for 4/255)");
        }
        return epsilon255;
    }

    static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
