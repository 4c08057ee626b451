package dev.excon.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;

/**
 * Batched colour operations on float32 NCHW images in [0, 1] with a per-image factor. Factors are (N) arrays on the
 * images' device. Each mirrors torchvision's tensor colour functions; grayscale uses PIL's ITU-R 601-2 luma weights
 * (0.299, 0.587, 0.114), which the reference's PIL pipeline applies.
 */
public final class ColorOps {

    /** Luma weights of PIL's {@code convert("L")}. */
    static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    private ColorOps() {}

    /** Luma of RGB images (N,3,H,W) as (N,1,H,W); 1-channel images are returned as they are. */
    public static NDArray luma(NDArray images) {
        if (images.getShape().get(1) == 1) {
            return images;
        }
        NDList rgb = images.split(3, 1);
        return Scalars.mul(rgb.get(0), LUMA[0]).addi(Scalars.mul(rgb.get(1), LUMA[1])).addi(Scalars.mul(rgb.get(2), LUMA[2]));
    }

    /** Brightness: {@code clamp(x * f)}. */
    public static NDArray brightness(NDArray images, NDArray factor) {
        return images.mul(perImage(factor)).clip(0f, 1f);
    }

    /** Contrast: {@code clamp(f * x + (1 - f) * mean(luma(x)))}, the mean taken over each whole image. */
    public static NDArray contrast(NDArray images, NDArray factor) {
        long n = images.getShape().get(0);
        NDArray mean = luma(images).reshape(n, -1).mean(new int[] {1}).reshape(n, 1, 1, 1);
        return blend(images, mean, perImage(factor));
    }

    /** Saturation: {@code clamp(f * x + (1 - f) * luma(x))}; identity on 1-channel images. */
    public static NDArray saturation(NDArray images, NDArray factor) {
        if (images.getShape().get(1) == 1) {
            return images.duplicate();
        }
        return blend(images, luma(images), perImage(factor));
    }

    /**
     * Hue rotation by {@code shift} turns in HSV space (value and saturation kept), like torchvision's {@code
     * adjust_hue}; identity on 1-channel images and on gray pixels. Uses the closed form {@code out_n = v - c *
     * clamp(min(k_n, 4 - k_n), 0, 1)} with {@code k_n = (n + 6h) mod 6}, n = 5, 3, 1 for R, G, B.
     */
    public static NDArray hue(NDArray images, NDArray shift) {
        if (images.getShape().get(1) == 1) {
            return images.duplicate();
        }
        NDList rgb = images.split(3, 1);
        NDArray r = rgb.get(0);
        NDArray g = rgb.get(1);
        NDArray b = rgb.get(2);
        // Elementwise max/min of the three planes: a reduction over the channel axis is several times slower.
        NDArray v = r.maximum(g).maximum(b);
        NDArray c = v.sub(r.minimum(g).minimum(b));
        // For gray pixels (c = 0) every numerator below is 0 too, and the output is v whatever the hue.
        NDArray inv = Scalars.maximum(c, 1e-12f).getNDArrayInternal().rdiv(1f);
        // Hue in sixths of a turn; the channel holding the maximum picks the sector, red first as torchvision does.
        NDArray h6 = NDArrays.where(v.eq(r), g.sub(b).muli(inv),
                NDArrays.where(v.eq(g), b.sub(r).muli(inv).addi(2f), r.sub(g).muli(inv).addi(4f)));
        // Shift, then + n for R, G, B (n = 5, 3, 1) and + 12 so that mod 6 sees positive operands.
        NDArray offsets = images.getManager().create(new float[] {17f, 15f, 13f}, new Shape(1, 3, 1, 1));
        NDArray k = h6.addi(Scalars.mul(perImage(shift), 6f)).add(offsets).modi(6f);
        NDArray w = k.minimum(k.neg().addi(4f)).clip(0f, 1f);
        return v.sub(w.muli(c)).clip(0f, 1f);
    }

    /**
     * Brightness, contrast and saturation in one pass: {@code clamp(a * x + b * luma(x) + c * mean(luma(x)))} with
     * per-image (N) coefficients. Brightness f is (f, 0, 0), contrast (f, 0, 1 - f), saturation (f, 1 - f, 0), the
     * identity (1, 0, 0). The pipeline applies one of them per image at each jitter position, so one pass replaces
     * three.
     */
    public static NDArray linearJitter(NDArray images, NDArray a, NDArray b, NDArray c) {
        long n = images.getShape().get(0);
        NDArray luma = luma(images);
        NDArray mean = luma.reshape(n, -1).mean(new int[] {1}).reshape(n, 1, 1, 1);
        return images.mul(perImage(a)).addi(luma.mul(perImage(b))).addi(mean.mul(perImage(c))).clip(0f, 1f);
    }

    /** Grayscale with the channel count kept: each channel becomes the luma. */
    public static NDArray grayscale(NDArray images) {
        long channels = images.getShape().get(1);
        if (channels == 1) {
            return images.duplicate();
        }
        return luma(images).repeat(1, channels);
    }

    /** {@code clamp(f * x + (1 - f) * other)} with per-image factors f of shape (N,1,1,1). */
    static NDArray blend(NDArray images, NDArray other, NDArray f) {
        return images.mul(f).addi(other.mul(f.neg().addi(1f))).clip(0f, 1f);
    }

    /** (N) -> (N,1,1,1) so a factor broadcasts over one image. */
    static NDArray perImage(NDArray factor) {
        return factor.reshape(new Shape(factor.size(), 1, 1, 1));
    }

    /**
     * Selects per image with a (N) 0/1 float mask: {@code x * (1 - m) + y * m}. Exact for 0 and 1, since a product
     * with 0 is 0 and with 1 is the value itself.
     */
    static NDArray select(NDArray mask01, NDArray ifOne, NDArray ifZero) {
        NDArray m = perImage(mask01);
        return ifZero.mul(m.neg().addi(1f)).addi(ifOne.mul(m));
    }
}
