package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * {@code pixelate}: box downsampling to {@code int(size * factor)} pixels per side and box upsampling back, with the
 * weights of Pillow's {@code Image.resize(..., BOX)} (see {@link SpatialFilters#boxResampleMatrix}). CIFAR generator
 * factor by severity: 0.95, 0.9, 0.85, 0.75, 0.65 (32 px: 30, 28, 27, 24, 20). Computed in float; Pillow rounds to
 * 8 bits after each pass.
 */
final class Pixelate extends AbstractCorruption {

    Pixelate() {
        super("pixelate", "factor", 0.95, 0.9, 0.85, 0.75, 0.65);
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        double f = value(severity);
        Shape s = x.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int sh = Math.max(1, (int) (h * f));
        int sw = Math.max(1, (int) (w * f));
        return SpatialFilters.apply(scope, x, SpatialFilters.pixelateMatrix(h, sh), SpatialFilters.pixelateMatrix(w, sw));
    }
}
