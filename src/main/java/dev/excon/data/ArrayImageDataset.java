package dev.excon.data;

import java.util.Arrays;
import java.util.List;

/**
 * An {@link ImageDataset} backed by one byte array (all images, each C x H x W) and one label array. The readers
 * produce these; tests build them directly.
 */
public final class ArrayImageDataset implements ImageDataset {

    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    /**
     * @param name the data set's name
     * @param pixels {@code labels.length * channels * height * width} bytes, image after image, each C x H x W; not
     *     copied, so the caller must not change it afterwards
     * @param labels one label per image, each in {@code [0, classNames.size())}; not copied
     * @param channels 1 or 3
     * @param height image height
     * @param width image width
     * @param classNames class names, index = label
     * @throws IllegalArgumentException if sizes disagree or a label is out of range (the message names the first bad
     *     label and its position)
     */
    public ArrayImageDataset(
            String name, byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(name + ": channels=" + channels + ", expected 1 or 3");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image size " + height + "x" + width + " must be positive");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    name + ": pixels.length=" + pixels.length + " but " + labels.length + " images of " + channels
                            + "x" + height + "x" + width + " need " + expected + " bytes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(
                        name + ": label " + labels[i] + " of image " + i + " is outside [0, " + classNames.size()
                                + ")");
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void copyImage(int index, byte[] dst, int offset) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("image " + index + " is outside " + name + " (size " + size() + ")");
        }
        int n = imageBytes();
        System.arraycopy(pixels, index * n, dst, offset, n);
    }

    @Override
    public int[] labels() {
        return Arrays.copyOf(labels, labels.length);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + name + ", " + size() + " x " + channels + "x" + height + "x" + width + ", "
                + numClasses() + " classes]";
    }
}
