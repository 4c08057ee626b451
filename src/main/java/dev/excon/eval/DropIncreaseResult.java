package dev.excon.eval;

import dev.excon.Provenance;
import java.util.Locale;

/**
 * The reference's four masking scores over N images (see {@link DropIncrease}), as fractions, with the per-image
 * confidences they come from.
 *
 * @param count N
 * @param keepFraction the share of pixels kept
 * @param keptPixels the number of pixels kept per image, {@code int(keepFraction * H * W)}
 * @param explainer the explainer's description
 * @param averageDrop {@code mean max(0, Y - O) / Y} (Average Drop; lower is better)
 * @param increaseRate {@code mean 1[O > Y]} (Increase in Confidence; higher is better)
 * @param averageRelativeIncrease {@code mean max(0, O - Y) / Y}
 * @param dropRate {@code mean 1[Y > O]}
 * @param original (N) Y: the softmax confidence of the explained class on each original image
 * @param masked (N) O: the same on the masked image
 * @param classes (N) the explained (predicted) class of each image
 * @param provenance what produced the numbers, or null when the caller did not provide it
 */
public record DropIncreaseResult(long count, double keepFraction, int keptPixels, String explainer,
        double averageDrop, double increaseRate, double averageRelativeIncrease, double dropRate, double[] original,
        double[] masked, int[] classes, Provenance provenance) {

    /** Computes the four scores from per-image confidences Y (positive) and O. */
    public static DropIncreaseResult of(double[] original, double[] masked, int[] classes, double keepFraction,
            int keptPixels, String explainer) {
        int n = original.length;
        if (n == 0 || masked.length != n || classes.length != n) {
            throw new IllegalArgumentException("received original.length=" + n + ", masked.length=" + masked.length
                    + ", classes.length=" + classes.length + ": expected the same N >= 1");
        }
        double drop = 0;
        double increase = 0;
        double relativeIncrease = 0;
        double dropped = 0;
        for (int i = 0; i < n; i++) {
            double y = original[i];
            double o = masked[i];
            if (!(y > 0)) {
                throw new IllegalArgumentException("original confidence " + y + " of image " + i + " is not positive");
            }
            drop += Math.max(0, y - o) / y;
            relativeIncrease += Math.max(0, o - y) / y;
            increase += o > y ? 1 : 0;
            dropped += y > o ? 1 : 0;
        }
        return new DropIncreaseResult(n, keepFraction, keptPixels, explainer, drop / n, increase / n,
                relativeIncrease / n, dropped / n, original, masked, classes, null);
    }

    /** The same result carrying {@code provenance}. */
    public DropIncreaseResult withProvenance(Provenance provenance) {
        return new DropIncreaseResult(count, keepFraction, keptPixels, explainer, averageDrop, increaseRate,
                averageRelativeIncrease, dropRate, original, masked, classes, provenance);
    }

    @Override
    public String toString() {
        String s = String.format(Locale.ROOT,
                "DropIncrease[N=%d, keep %.2f (%d pixels), %s: Average Drop %.4f, increase rate %.4f, "
                        + "average relative increase %.4f, drop rate %.4f]",
                count, keepFraction, keptPixels, explainer, averageDrop, increaseRate, averageRelativeIncrease,
                dropRate);
        return provenance == null ? s : s + "\n  " + provenance.caption();
    }
}
