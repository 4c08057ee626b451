package dev.excon.augment;

/**
 * The random draws behind one batch of augmented views, one entry per image. Drawn on the host by {@link
 * SupConAugmentation#sample}, applied on the device by {@link SupConAugmentation#apply(ai.djl.ndarray.NDArray,
 * ViewParams)}; exposed so tests and notebooks can see exactly what was done to each image.
 *
 * @param cropTop first row of the crop
 * @param cropLeft first column of the crop
 * @param cropHeight crop height in pixels
 * @param cropWidth crop width in pixels
 * @param flip whether the view is mirrored left-right
 * @param jitter whether colour jitter was applied (the factors below are 1 / 0 when not)
 * @param brightness brightness factor (1 = unchanged)
 * @param contrast contrast factor (1 = unchanged)
 * @param saturation saturation factor (1 = unchanged)
 * @param hue hue shift in turns, in [-0.5, 0.5] (0 = unchanged)
 * @param jitterOrder per image, the order of the four jitter operations as a permutation of {@link #BRIGHTNESS},
 *     {@link #CONTRAST}, {@link #SATURATION}, {@link #HUE} (torchvision applies them in a random order)
 * @param grayscale whether the view was turned to grayscale
 */
public record ViewParams(
        int[] cropTop,
        int[] cropLeft,
        int[] cropHeight,
        int[] cropWidth,
        boolean[] flip,
        boolean[] jitter,
        float[] brightness,
        float[] contrast,
        float[] saturation,
        float[] hue,
        int[][] jitterOrder,
        boolean[] grayscale) {

    /** Jitter operation index: brightness. */
    public static final int BRIGHTNESS = 0;
    /** Jitter operation index: contrast. */
    public static final int CONTRAST = 1;
    /** Jitter operation index: saturation. */
    public static final int SATURATION = 2;
    /** Jitter operation index: hue. */
    public static final int HUE = 3;

    /** The number of images these parameters cover. */
    public int size() {
        return flip.length;
    }
}
