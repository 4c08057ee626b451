package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** HSV helpers on (N, C, H, W) images: the value and minimum over channels as (N, 1, H, W). */
final class Hsv {

    private Hsv() {}

    /** {@code max(R, G, B)}; a 1-channel image is its own value. */
    static NDArray value(NDArray x) {
        if (x.getShape().get(1) == 1) {
            return x;
        }
        NDList c = x.split(3, 1);
        return c.get(0).maximum(c.get(1)).maximum(c.get(2));
    }

    /** {@code min(R, G, B)}; a 1-channel image is its own minimum. */
    static NDArray minimum(NDArray x) {
        if (x.getShape().get(1) == 1) {
            return x;
        }
        NDList c = x.split(3, 1);
        return c.get(0).minimum(c.get(1)).minimum(c.get(2));
    }
}
