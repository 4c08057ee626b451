package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;

/**
 * The order in which the explanation-quality metrics remove or reveal pixels: by decreasing raw saliency, ties broken
 * by the pixel's row-major index (lower first), the same on every device and for every sort implementation.
 *
 * <p>Batched on the device with three sorts of (N, H*W) rows: an argsort of the negated map (ties in any order),
 * then, along the sorted rows, the index of each run of equal values ({@code cumsum} of "value changed"), and a sort
 * of the unique int64 keys {@code run * P + pixel}, which puts ties in index order; the inverse of that permutation
 * (a last argsort of unique values) is each pixel's rank.
 */
final class PixelRanking {

    private PixelRanking() {}

    /**
     * Ranks of the pixels of each map.
     *
     * @param raw (N, 1, H, W) float32 finite raw saliency maps (only their order matters)
     * @return (N, H*W) int64 in [0, H*W): 0 for each map's most salient pixel; attached to {@code raw}'s manager
     */
    static NDArray ranks(NDArray raw) {
        Shape s = raw.getShape();
        if (s.dimension() != 4 || s.get(1) != 1) {
            throw new IllegalArgumentException("saliency maps must be (N, 1, H, W); got " + s);
        }
        long n = s.get(0);
        long p = s.get(2) * s.get(3);
        NDManager owner = raw.getManager();
        try (NDManager scope = owner.newSubManager(raw.getDevice())) {
            raw.tempAttach(scope);
            NDArray negated = raw.reshape(n, p).neg();
            NDArray ascending = negated.argSort(1, true);
            NDArray rank;
            if (p == 1) {
                rank = ascending;
            } else {
                NDArray sorted = negated.gather(ascending, 1);
                NDArray changed = sorted.get(":, 1:").neq(sorted.get(":, :-1")).toType(DataType.INT64, false);
                NDArray run = scope.zeros(new Shape(n, 1), DataType.INT64).toDevice(raw.getDevice(), false)
                        .concat(changed.cumSum(1), 1);
                NDArray order = Scalars.mul(run, p).add(ascending).sort(1).mod(p);
                rank = order.argSort(1, true);
            }
            rank.attach(owner);
            return rank;
        }
    }

    /** The keep masks (N, 1, H, W) float32: 1 where {@code rank < k} (the k most salient pixels), else 0. */
    static NDArray topMask(NDArray rank, long k, Shape mapShape) {
        return rank.lt(k).toType(DataType.FLOAT32, false).reshape(mapShape);
    }

    /** The keep masks (N, 1, H, W) float32: 1 where {@code rank >= k} (all but the k most salient pixels). */
    static NDArray withoutTopMask(NDArray rank, long k, Shape mapShape) {
        return rank.gte(k).toType(DataType.FLOAT32, false).reshape(mapShape);
    }
}
