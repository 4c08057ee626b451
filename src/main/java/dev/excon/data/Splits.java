package dev.excon.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded, stratified train/validation splits. */
public final class Splits {

    /** The validation fraction the reference code holds out: 20%. */
    public static final double REFERENCE_VALIDATION_FRACTION = 0.2;

    private Splits() {}

    /**
     * Splits {@code data} into training and validation parts with the same class proportions.
     *
     * <p>Within each class the images are shuffled with a generator seeded by {@code seed}, and {@code
     * round(fraction * classCount)} of them go to validation (at least one when the class has two or more images
     * and {@code fraction > 0}). Both parts keep the original image order, so the split is the same on every
     * machine and Java version for the same seed.
     *
     * @param data the images to split
     * @param validationFraction the share held out for validation, in [0, 1)
     * @param seed the shuffling seed
     * @return the remaining images and the validation images
     */
    public static TrainValidation stratified(ImageDataset data, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "validationFraction=" + validationFraction + " must be in [0, 1), e.g. 0.2 as in the reference");
        }
        int numClasses = data.numClasses();
        List<List<Integer>> byClass = new ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(data.label(i)).add(i);
        }
        boolean[] inValidation = new boolean[data.size()];
        for (int c = 0; c < numClasses; c++) {
            List<Integer> members = byClass.get(c);
            int n = members.size();
            int k = validationCount(n, validationFraction);
            // One generator per class, derived from the seed, so classes do not shift each other's draws.
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + c);
            int[] order = members.stream().mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < k; i++) { // partial Fisher-Yates: the first k are a uniform sample
                int j = i + rng.nextInt(n - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                inValidation[order[i]] = true;
            }
        }
        int nVal = 0;
        for (boolean b : inValidation) {
            if (b) {
                nVal++;
            }
        }
        int[] train = new int[data.size() - nVal];
        int[] val = new int[nVal];
        int t = 0;
        int v = 0;
        for (int i = 0; i < data.size(); i++) {
            if (inValidation[i]) {
                val[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new TrainValidation(
                data.subset(train, data.name() + "[train " + seed + "]"),
                data.subset(val, data.name() + "[val " + seed + "]"));
    }

    /**
     * How many of a class's {@code classSize} images {@link #stratified} holds out: {@code round(fraction *
     * classSize)}, at least one when the class has two or more images and {@code fraction > 0}.
     */
    public static int validationCount(int classSize, double validationFraction) {
        int k = (int) Math.round(validationFraction * classSize);
        return k == 0 && validationFraction > 0 && classSize >= 2 ? 1 : k;
    }

    /**
     * The fewest images a class needs so that {@link #stratified} leaves at least one of them in each part: 2 for
     * fractions up to 0.75, more above.
     *
     * @param validationFraction in (0, 1)
     */
    public static int minimumPerClass(double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction=" + validationFraction + " must be in (0, 1)");
        }
        int n = 2;
        while (validationCount(n, validationFraction) >= n) {
            n++;
        }
        return n;
    }

    /**
     * A seeded class-balanced sample of at most {@code perClass} images of each class, in original order: for quick
     * runs on a subset.
     */
    public static ImageDataset perClass(ImageDataset data, int perClass, long seed) {
        if (perClass <= 0) {
            throw new IllegalArgumentException("perClass=" + perClass + " must be positive");
        }
        boolean[] keep = new boolean[data.size()];
        int[] taken = new int[data.numClasses()];
        // Shuffle indices once with the seed, then take the first perClass of each class.
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int n = 0;
        for (int idx : order) {
            int c = data.label(idx);
            if (taken[c] < perClass) {
                taken[c]++;
                keep[idx] = true;
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                out[k++] = i;
            }
        }
        return data.subset(out, data.name() + "[" + perClass + "/class " + seed + "]");
    }
}
