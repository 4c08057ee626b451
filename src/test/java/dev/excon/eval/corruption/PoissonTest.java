package dev.excon.eval.corruption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Poisson sampler behind shot noise: mean and variance equal lambda on both of its branches. */
class PoissonTest {

    @Test
    void meanAndVarianceMatchLambda() {
        for (double lambda : new double[] {0.5, 3, 9.9, 10, 60, 500}) {
            SplittableRandom r = new SplittableRandom(5);
            int n = 40_000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                long k = Poisson.sample(r, lambda);
                sum += k;
                sq += (double) k * k;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            // standard error of the mean sqrt(lambda / n); of the variance about lambda * sqrt(2 / n)
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n), "mean at " + lambda);
            assertEquals(lambda, var, 6 * lambda * Math.sqrt(2.0 / n) + 0.01, "variance at " + lambda);
        }
        assertEquals(0, Poisson.sample(new SplittableRandom(1), 0));
    }

    @Test
    void logFactorialIsContinuousAcrossTheTableEdge() {
        double stirling = Poisson.logFactorial(2048);
        assertEquals(Poisson.logFactorial(2047) + Math.log(2048), stirling, 1e-9);
    }
}
