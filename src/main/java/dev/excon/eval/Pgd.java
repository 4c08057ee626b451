package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;
import dev.excon.model.ImageModel;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Projected gradient descent on the loss (Madry et al., <a href="https://arxiv.org/abs/1706.06083">arXiv
 * 1706.06083</a>), L-infinity, untargeted, on the true labels, in evaluation mode:
 *
 * <pre>
 *   x_0     = P(x + u),  u ~ U[-eps, eps]^(C H W) per image        (random start; x_0 = x without it)
 *   x_{t+1} = P(x_t + alpha * sign(d/dx mean_i CE(f(x_t)_i, y_i)))   t = 0 .. steps-1
 *   P(z)    = min(max(z, max(x - eps, 0)), min(x + eps, 1))          (projection onto the eps ball AND [0, 1])
 * </pre>
 *
 * <p>The projection is applied after the random start and after every step; because both sets are boxes, clamping to
 * their intersection is the exact Euclidean projection. One forward and one backward pass per step for the whole
 * batch, all on the device. The random start is drawn on the host from {@code SplittableRandom(seed)} and sent with
 * one transfer per batch, so the same seed gives the same start on any device; {@link #forBatch} derives an
 * independent stream per batch of a data set.
 */
public final class Pgd implements Attack {

    private final double epsilon255;
    private final int steps;
    private final double stepSize255;
    private final boolean explicitStepSize;
    private final boolean randomStart;
    private final long seed;

    Pgd(double epsilon255, int steps, double stepSize255, boolean explicitStepSize, boolean randomStart, long seed) {
        this.epsilon255 = Attacks.checkEpsilon(epsilon255);
        this.steps = Tensors.positive("steps", steps);
        this.explicitStepSize = explicitStepSize;
        this.stepSize255 = explicitStepSize ? Attacks.checkEpsilon(stepSize255) : 2.5 * epsilon255 / steps;
        this.randomStart = randomStart;
        this.seed = seed;
    }

    @Override
    public double epsilon255() {
        return epsilon255;
    }

    /** The number of gradient steps. */
    public int steps() {
        return steps;
    }

    /** The step size alpha in /255 units (default {@code 2.5 * eps / steps}, Madry et al.'s rule). */
    public double stepSize255() {
        return stepSize255;
    }

    /** Whether the attack starts from a uniform random point of the eps ball. */
    public boolean randomStart() {
        return randomStart;
    }

    /** The seed of the random start. */
    public long seed() {
        return seed;
    }

    /** The same attack with another radius; a default step size follows the radius, an explicit one is kept. */
    @Override
    public Pgd withEpsilon(double epsilon255) {
        return new Pgd(epsilon255, steps, stepSize255, explicitStepSize, randomStart, seed);
    }

    /** The same attack with another seed. */
    public Pgd withSeed(long seed) {
        return new Pgd(epsilon255, steps, stepSize255, explicitStepSize, randomStart, seed);
    }

    @Override
    public Pgd forBatch(long index) {
        return withSeed(new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1))).nextLong());
    }

    @Override
    public NDArray perturb(ImageModel model, NDArray images, NDArray labels) {
        try (AttackSession s = AttackSession.open(model, images, labels)) {
            NDArray x = s.input();
            float eps = (float) epsilon();
            float alpha = (float) (stepSize255 / 255);
            NDArray lo = Scalars.maximum(x.sub(eps), 0f);
            NDArray hi = Scalars.minimum(x.add(eps), 1f);
            NDArray current = randomStart ? project(x.add(uniform(s.scope(), x, eps)), lo, hi) : x;
            for (int t = 0; t < steps; t++) {
                try (NDManager step = s.scope().newSubManager()) {
                    current.tempAttach(step);
                    lo.tempAttach(step);
                    hi.tempAttach(step);
                    NDArray sign = s.lossGradient(current).gradient().sign();
                    NDArray next = project(current.add(Scalars.mul(sign, alpha)), lo, hi);
                    next.attach(s.scope());
                    current = next;
                }
            }
            if (current == x) { // no steps were taken without a random start: return a copy, never the input
                current = x.duplicate();
            }
            return s.keep(current);
        }
    }

    private static NDArray project(NDArray z, NDArray lo, NDArray hi) {
        return z.maximum(lo).minimum(hi);
    }

    /** U[-eps, eps] noise of the images' shape, from this attack's seed, on the images' device. */
    private NDArray uniform(NDManager scope, NDArray x, float eps) {
        Shape shape = x.getShape();
        float[] noise = new float[Math.toIntExact(shape.size())];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) ((2 * rng.nextDouble() - 1) * eps);
        }
        return scope.create(noise, shape).toDevice(x.getDevice(), false);
    }

    @Override
    public String settings() {
        return String.format(Locale.ROOT, "PGD[%d steps of %s, %s, seed %d]", steps,
                explicitStepSize ? Attacks.format(stepSize255) + "/255" : "2.5 eps / " + steps,
                randomStart ? "random start" : "start at x", seed);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PGD[eps %s/255, %d steps of %s/255, %s, seed %d]",
                Attacks.format(epsilon255), steps, Attacks.format(stepSize255),
                randomStart ? "random start" : "start at x", seed);
    }
}
