package dev.excon.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The reference's standard view {@code v0}: {@code Resize(size)} only, no crop, flip or colour change. ExCon
 * explains and masks this view. With the data sets' native sizes (32 for CIFAR, 64 for Tiny ImageNet) it is the
 * image itself; other sizes are resized (shorter side to {@code size}, PIL-bilinear with anti-aliasing).
 */
public final class StandardView {

    private final int size;

    /** @param size the shorter side of the view in pixels */
    public StandardView(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size=" + size + " must be positive");
        }
        this.size = size;
    }

    /** Images (N, C, H, W) in [0, 1] -> the standard views (a new array, attached to the images' manager). */
    public NDArray apply(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("images must be (N, C, H, W), got " + s);
        }
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int outH = h <= w ? size : (int) ((long) size * h / w);
        int outW = h <= w ? (int) ((long) size * w / h) : size;
        if (outH == h && outW == w) {
            return images.duplicate();
        }
        NDManager m = images.getManager();
        try (NDManager scope = m.newSubManager(images.getDevice())) {
            NDArray rows = scope.create(ResampleWeights.matrix(h, 0, h, outH, false), new Shape(outH, h));
            NDArray colsT = scope.create(ResampleWeights.matrix(w, 0, w, outW, false), new Shape(outW, w)).transpose();
            NDArray out = rows.matMul(images).matMul(colsT);
            out.attach(m);
            return out;
        }
    }

    /** The shorter side of the view. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "StandardView[size=" + size + "]";
    }
}
