package dev.excon.eval.embedding;

/**
 * Every setting of one exact t-SNE run. Defaults ({@link #defaults()}) follow the common recipe of van der Maaten's
 * reference implementations and scikit-learn: perplexity 30, 1000 iterations, early exaggeration 12 for the first
 * 250, momentum 0.5 then 0.8 from iteration 250, gains +0.2 / x0.8 with a floor of 0.01, initial points N(0,
 * 1e-4^2), learning rate {@code max(N / 12 / 4, 50)} ("auto", Belkina et al. 2019 as scikit-learn applies it),
 * perplexity matched to an entropy tolerance of 1e-5 nats in at most 200 bisection steps, seed 42.
 *
 * @param perplexity the effective number of neighbours, {@code 2^H} of each point's conditional distribution; must be
 *     below N - 1
 * @param iterations gradient-descent iterations
 * @param learningRate step size; 0 for auto, {@code max(N / earlyExaggeration / 4, 50)}
 * @param earlyExaggeration factor on P during the first {@code exaggerationIterations}
 * @param exaggerationIterations iterations with exaggerated P
 * @param initialMomentum momentum before {@code momentumSwitch}
 * @param finalMomentum momentum from {@code momentumSwitch} on
 * @param momentumSwitch the iteration where momentum changes
 * @param minGain the floor of the per-coordinate gains
 * @param initialStd standard deviation of the random initial coordinates
 * @param entropyTolerance the perplexity search stops when {@code |H - ln(perplexity)|} is below this (nats)
 * @param maxSearchSteps the most bisection steps per point
 * @param seed the seed of the initial coordinates
 */
public record TsneParameters(
        double perplexity,
        int iterations,
        double learningRate,
        double earlyExaggeration,
        int exaggerationIterations,
        double initialMomentum,
        double finalMomentum,
        int momentumSwitch,
        double minGain,
        double initialStd,
        double entropyTolerance,
        int maxSearchSteps,
        long seed) {

    /** The default seed. */
    public static final long DEFAULT_SEED = 42;

    /** Validates every value. */
    public TsneParameters {
        require(perplexity > 0 && Double.isFinite(perplexity), "perplexity", perplexity, "> 0");
        require(iterations >= 1, "iterations", iterations, ">= 1");
        require(learningRate >= 0 && Double.isFinite(learningRate), "learningRate", learningRate, ">= 0 (0 = auto)");
        require(earlyExaggeration >= 1, "earlyExaggeration", earlyExaggeration, ">= 1");
        require(exaggerationIterations >= 0, "exaggerationIterations", exaggerationIterations, ">= 0");
        require(initialMomentum >= 0 && initialMomentum < 1, "initialMomentum", initialMomentum, "in [0, 1)");
        require(finalMomentum >= 0 && finalMomentum < 1, "finalMomentum", finalMomentum, "in [0, 1)");
        require(momentumSwitch >= 0, "momentumSwitch", momentumSwitch, ">= 0");
        require(minGain > 0, "minGain", minGain, "> 0");
        require(initialStd > 0, "initialStd", initialStd, "> 0");
        require(entropyTolerance > 0, "entropyTolerance", entropyTolerance, "> 0");
        require(maxSearchSteps >= 1, "maxSearchSteps", maxSearchSteps, ">= 1");
    }

    /** The defaults listed above. */
    public static TsneParameters defaults() {
        return new TsneParameters(30, 1000, 0, 12, 250, 0.5, 0.8, 250, 0.01, 1e-4, 1e-5, 200, DEFAULT_SEED);
    }

    /** The learning rate used for {@code n} points: the set value, or auto when it is 0. */
    public double learningRateFor(int n) {
        return learningRate > 0 ? learningRate : Math.max(n / earlyExaggeration / 4, 50);
    }

    /** A copy with another perplexity. */
    public TsneParameters withPerplexity(double p) {
        return new TsneParameters(p, iterations, learningRate, earlyExaggeration, exaggerationIterations,
                initialMomentum, finalMomentum, momentumSwitch, minGain, initialStd, entropyTolerance,
                maxSearchSteps, seed);
    }

    /** A copy with another number of iterations. */
    public TsneParameters withIterations(int n) {
        return new TsneParameters(perplexity, n, learningRate, earlyExaggeration, exaggerationIterations,
                initialMomentum, finalMomentum, momentumSwitch, minGain, initialStd, entropyTolerance,
                maxSearchSteps, seed);
    }

    /** A copy with another seed. */
    public TsneParameters withSeed(long s) {
        return new TsneParameters(perplexity, iterations, learningRate, earlyExaggeration, exaggerationIterations,
                initialMomentum, finalMomentum, momentumSwitch, minGain, initialStd, entropyTolerance,
                maxSearchSteps, s);
    }

    /** A copy with another learning rate (0 = auto). */
    public TsneParameters withLearningRate(double lr) {
        return new TsneParameters(perplexity, iterations, lr, earlyExaggeration, exaggerationIterations,
                initialMomentum, finalMomentum, momentumSwitch, minGain, initialStd, entropyTolerance,
                maxSearchSteps, seed);
    }

    /** One line for captions, e.g. {@code t-SNE perplexity 30, 1000 iterations, exaggeration 12 x 250, seed 42}. */
    public String summary() {
        return "t-SNE perplexity " + fmt(perplexity) + ", " + iterations + " iterations, exaggeration "
                + fmt(earlyExaggeration) + " x " + exaggerationIterations + ", learning rate "
                + (learningRate > 0 ? fmt(learningRate) : "auto") + ", seed " + seed;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void require(boolean ok, String name, double value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("t-SNE " + name + "=" + value + " must be " + rule);
        }
    }
}
