package dev.excon.eval.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TsneTest {

    /** {@code perClass} points around each of {@code classes} centres 10 apart in {@code dim} dimensions. */
    static float[][] blobs(int classes, int perClass, int dim, long seed, int[] labelsOut) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] centres = new double[classes][dim];
        for (double[] c : centres) {
            for (int k = 0; k < dim; k++) {
                c[k] = r.nextGaussian() * 10;
            }
        }
        float[][] x = new float[classes * perClass][dim];
        for (int i = 0; i < x.length; i++) {
            int c = i % classes; // interleaved, so order carries no class information
            labelsOut[i] = c;
            for (int k = 0; k < dim; k++) {
                x[i][k] = (float) (centres[c][k] + r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void separatesWellSeparatedClusters() {
        int[] labels = new int[150];
        float[][] x = blobs(3, 50, 20, 1, labels);
        TsneResult r = Tsne.embed(x, labels, List.of("a", "b", "c"));
        assertEquals(150, r.size());
        assertTrue(r.nearestNeighbourAgreement() >= 0.95, "agreement " + r.nearestNeighbourAgreement());
        assertTrue(Double.isFinite(r.klDivergence()) && r.klDivergence() >= 0, "KL " + r.klDivergence());
        // Clusters are farther apart than their own spread in 2-D.
        double[] within = new double[1];
        double[] between = new double[1];
        for (int i = 0; i < r.size(); i++) {
            for (int j = i + 1; j < r.size(); j++) {
                double d = Math.hypot(r.x()[i] - r.x()[j], r.y()[i] - r.y()[j]);
                if (labels[i] == labels[j]) {
                    within[0] += d;
                } else {
                    between[0] += d;
                }
            }
        }
        double pairsWithin = 3 * 50 * 49 / 2.0;
        double pairsBetween = 150 * 149 / 2.0 - pairsWithin;
        assertTrue(between[0] / pairsBetween > 3 * within[0] / pairsWithin);
        // Random labels on the same layout agree only by chance.
        int[] shuffled = labels.clone();
        SplittableRandom r2 = new SplittableRandom(3);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = r2.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        TsneResult random = new TsneResult(r.x(), r.y(), shuffled, r.classNames(), r.parameters(), 0);
        assertTrue(random.nearestNeighbourAgreement() < 0.6, "chance " + random.nearestNeighbourAgreement());
    }

    @Test
    void sameSeedSameOutputOtherSeedOtherOutput() {
        int[] labels = new int[60];
        float[][] x = blobs(3, 20, 5, 2, labels);
        TsneParameters p = TsneParameters.defaults().withPerplexity(10).withIterations(300);
        TsneResult a = new Tsne(p).fit(x, labels, List.of());
        TsneResult b = new Tsne(p).fit(x, labels, List.of());
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.y(), b.y());
        assertEquals(List.of("class 0", "class 1", "class 2"), a.classNames());
        TsneResult c = new Tsne(p.withSeed(43)).fit(x, labels, List.of());
        assertFalse(Arrays.equals(a.x(), c.x()));
    }

    @Test
    void perplexitySearchHitsTheTargetEntropy() {
        int[] labels = new int[200];
        float[][] f = blobs(4, 50, 8, 5, labels);
        double[][] x = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            x[i] = new double[f[i].length];
            for (int k = 0; k < f[i].length; k++) {
                x[i][k] = f[i][k] * 37.0; // large distances: exp() would underflow without the shift
            }
        }
        double[] d2 = Affinities.squaredDistances(x);
        for (double perplexity : new double[] {5, 30}) {
            double[] p = Affinities.conditional(d2, x.length, perplexity, 1e-5, 200);
            for (int i = 0; i < x.length; i++) {
                double sum = 0;
                for (int j = 0; j < x.length; j++) {
                    sum += p[i * x.length + j];
                }
                assertEquals(1.0, sum, 1e-9, "row " + i);
                assertEquals(0.0, p[i * x.length + i]);
                assertEquals(Math.log(perplexity), Affinities.entropy(p, x.length, i), 1e-5,
                        "row " + i + " at perplexity " + perplexity);
            }
            double[] sym = Affinities.symmetric(p, x.length);
            double total = Arrays.stream(sym).sum();
            assertEquals(1.0, total, 1e-6);
            assertEquals(sym[3 * x.length + 7], sym[7 * x.length + 3], 0.0);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheKlDivergence() {
        int[] labels = new int[12];
        float[][] f = blobs(3, 4, 3, 8, labels);
        double[][] x = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            x[i] = new double[] {f[i][0], f[i][1], f[i][2]};
        }
        int n = x.length;
        double[] p = Affinities.symmetric(
                Affinities.conditional(Affinities.squaredDistances(x), n, 3, 1e-8, 200), n);
        SplittableRandom r = new SplittableRandom(4);
        double[] y = new double[2 * n];
        for (int k = 0; k < y.length; k++) {
            y[k] = r.nextGaussian();
        }
        double[] grad = new double[2 * n];
        Tsne.gradient(p, y, n, 1.0, new double[n * n], new double[n], grad);
        double h = 1e-6;
        for (int k = 0; k < y.length; k++) {
            double[] plus = y.clone();
            double[] minus = y.clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (Tsne.klDivergence(p, plus, n) - Tsne.klDivergence(p, minus, n)) / (2 * h);
            assertEquals(numeric, grad[k], 1e-6, "coordinate " + k);
        }
    }

    @Test
    void rejectsAPerplexityTooLargeForThePoints() {
        float[][] x = new float[10][2];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tsne.embed(x, new int[10], List.of("a")));
        assertTrue(e.getMessage().contains("N=10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TsneParameters.defaults().withPerplexity(-1));
    }

    @Test
    void featureSubsetTakesAtMostNPerClassWithASeed() {
        int n = 100;
        float[][] x = new float[n][1];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 5;
            x[i][0] = i;
        }
        FeatureSubset s = FeatureSubset.firstClasses(x, labels, 3, 7, 1);
        assertEquals(21, s.size());
        int[] counts = new int[5];
        for (int k = 0; k < s.size(); k++) {
            counts[s.labels()[k]]++;
            assertEquals(s.indices()[k], (int) s.features()[k][0]);
            assertEquals(labels[s.indices()[k]], s.labels()[k]);
            if (k > 0) {
                assertTrue(s.indices()[k] > s.indices()[k - 1]);
            }
        }
        assertArrayEquals(new int[] {7, 7, 7, 0, 0}, counts);
        assertArrayEquals(s.indices(), FeatureSubset.firstClasses(x, labels, 3, 7, 1).indices());
        assertFalse(Arrays.equals(s.indices(), FeatureSubset.firstClasses(x, labels, 3, 7, 2).indices()));
        // A class with fewer points than perClass gives all of them.
        assertEquals(20, FeatureSubset.ofClasses(x, labels, new int[] {4}, 50, 0).size());
    }
}
