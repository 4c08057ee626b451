package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.Scalars;

/**
 * {@code saturate}: in HSV space, saturation s becomes {@code clip(s * a + b, 0, 1)} with hue and value kept, as the
 * generator does through scikit-image. Computed in closed form: for fixed hue and value, channel k is {@code v - s *
 * v * g_k} with {@code g_k = (v - x_k) / (v - min)}, so the result is {@code v - s' * v * g_k}. Gray pixels have hue 0
 * (red) in scikit-image, {@code g = (0, 1, 1)}: where b > 0 (severities 4, 5) they turn reddish, as in the
 * generator's output. CIFAR generator (a, b) by severity: (0.3, 0), (0.1, 0), (1.5, 0), (2, 0.1), (2.5, 0.2).
 *
 * <p>On 1-channel images there is no saturation: the corruption returns the images unchanged (documented no-op).
 */
final class Saturate extends AbstractCorruption {

    private static final double[][] PARAMS = {{0.3, 0}, {0.1, 0}, {1.5, 0}, {2, 0.1}, {2.5, 0.2}};

    Saturate() {
        super("saturate", "a", 0.3, 0.1, 1.5, 2, 2.5);
    }

    @Override
    public String parameter(int severity) {
        double[] p = PARAMS[checkSeverity(severity) - 1];
        return "s*" + format(p[0]) + "+" + format(p[1]);
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        if (x.getShape().get(1) == 1) {
            return x.duplicate();
        }
        double[] p = PARAMS[severity - 1];
        NDArray v = Hsv.value(x);
        NDArray delta = v.sub(Hsv.minimum(x));
        NDArray s = delta.div(Scalars.maximum(v, 1e-12f));
        NDArray s2 = Scalars.mul(s, (float) p[0]).addi((float) p[1]).clip(0f, 1f);
        NDArray gray = delta.lte(0f).toType(x.getDataType(), false);
        NDArray gColour = v.sub(x).divi(Scalars.maximum(delta, 1e-12f));
        NDArray gGray = scope.create(new float[] {0f, 1f, 1f}, new ai.djl.ndarray.types.Shape(1, 3, 1, 1));
        NDArray g = gColour.mul(gray.neg().add(1f)).addi(gGray.mul(gray));
        return v.sub(s2.mul(v).mul(g));
    }
}
