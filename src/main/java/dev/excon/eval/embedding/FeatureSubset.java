package dev.excon.eval.embedding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The points of a few classes, at most {@code perClass} of each, drawn with a seed: what a t-SNE plot of 100 classes
 * usually shows (e.g. the first 10 classes, 100 images each).
 *
 * @param features the chosen rows, (n, D)
 * @param labels their labels (unchanged class indices)
 * @param indices their positions in the full feature set, ascending
 */
public record FeatureSubset(float[][] features, int[] labels, int[] indices) {

    /** {@link #ofClasses} with classes 0, 1, ..., {@code classes - 1}. */
    public static FeatureSubset firstClasses(float[][] features, int[] labels, int classes, int perClass, long seed) {
        int[] c = new int[classes];
        for (int i = 0; i < classes; i++) {
            c[i] = i;
        }
        return ofClasses(features, labels, c, perClass, seed);
    }

    /** {@link #firstClasses(float[][], int[], int, int, long)} for (N, D) features on any device. */
    public static FeatureSubset firstClasses(NDArray features, int[] labels, int classes, int perClass, long seed) {
        return firstClasses(toRows(features), labels, classes, perClass, seed);
    }

    /**
     * The points of the given classes: for each class, a seeded random choice of at most {@code perClass} of its
     * points (all of them if it has fewer); the chosen points keep the order of the full set.
     *
     * @throws IllegalArgumentException if features and labels differ in length or perClass is not positive
     */
    public static FeatureSubset ofClasses(float[][] features, int[] labels, int[] classes, int perClass, long seed) {
        if (features.length != labels.length) {
            throw new IllegalArgumentException("features has " + features.length + " rows but labels.length="
                    + labels.length);
        }
        if (perClass < 1) {
            throw new IllegalArgumentException("perClass=" + perClass + " must be >= 1");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> chosen = new ArrayList<>();
        for (int c : classes) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            // Fisher-Yates on the class's members, then the first perClass.
            for (int i = members.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer t = members.get(i);
                members.set(i, members.get(j));
                members.set(j, t);
            }
            chosen.addAll(members.subList(0, Math.min(perClass, members.size())));
        }
        int[] idx = chosen.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        float[][] f = new float[idx.length][];
        int[] l = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            f[k] = features[idx[k]].clone();
            l[k] = labels[idx[k]];
        }
        return new FeatureSubset(f, l, idx);
    }

    /** (N, D) features of any float type, on any device, as host rows. */
    static float[][] toRows(NDArray features) {
        Shape s = features.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("features must be (N, D), got " + s + "; flatten with reshape(n, -1)");
        }
        int n = (int) s.get(0);
        int d = (int) s.get(1);
        float[] flat;
        if (features.getDataType() == DataType.FLOAT32) {
            flat = features.toFloatArray();
        } else {
            try (NDArray f = features.toType(DataType.FLOAT32, false)) {
                flat = f.toFloatArray();
            }
        }
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
        return rows;
    }

    /** The number of points. */
    public int size() {
        return labels.length;
    }
}
