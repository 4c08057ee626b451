package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.Scalars;

/**
 * {@code brightness}: in HSV space, value {@code v = max(R, G, B)} becomes {@code min(v + delta, 1)} with hue and
 * saturation kept, as the generator does through scikit-image's {@code rgb2hsv}/{@code hsv2rgb}. For fixed hue and
 * saturation RGB is proportional to v, so this is computed in closed form: {@code x * min(v + delta, 1) / v}, and
 * {@code delta} for black pixels. On 1-channel images v is the pixel: {@code min(x + delta, 1)}. CIFAR generator
 * delta by severity: 0.05, 0.1, 0.15, 0.2, 0.3.
 */
final class Brightness extends AbstractCorruption {

    Brightness() {
        super("brightness", "delta", 0.05, 0.1, 0.15, 0.2, 0.3);
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        float delta = (float) value(severity);
        NDArray v = Hsv.value(x);
        NDArray scale = Scalars.minimum(v.add(delta), 1f).divi(Scalars.maximum(v, 1e-12f));
        NDArray black = Scalars.muli(v.lte(0f).toType(x.getDataType(), false), Math.min(delta, 1f));
        return x.mul(scale).addi(black);
    }
}
