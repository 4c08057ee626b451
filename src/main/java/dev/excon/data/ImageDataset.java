package dev.excon.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A labelled set of same-sized images held on the host as uint8.
 *
 * <p>Image {@code i} is {@code channels() * height() * width()} bytes in channel-major order (C x H x W, the layout
 * of one NCHW sample), values 0-255. Labels are in {@code [0, numClasses())}. Implementations are immutable and safe
 * to read from several threads.
 */
public interface ImageDataset {

    /** A short name for tables and provenance, e.g. {@code "fashion-mnist/train"}. */
    String name();

    /** The number of images. */
    int size();

    /** 1 (grayscale) or 3 (RGB). */
    int channels();

    /** Image height in pixels. */
    int height();

    /** Image width in pixels. */
    int width();

    /** Human-readable class names; index = label. */
    List<String> classNames();

    /** The label of image {@code index}, in {@code [0, numClasses())}. */
    int label(int index);

    /**
     * Copies image {@code index} (C x H x W uint8) into {@code dst} starting at {@code offset}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    void copyImage(int index, byte[] dst, int offset);

    /** The number of classes. */
    default int numClasses() {
        return classNames().size();
    }

    /** Bytes per image: {@code channels() * height() * width()}. */
    default int imageBytes() {
        return channels() * height() * width();
    }

    /** A copy of image {@code index} as C x H x W uint8. */
    default byte[] image(int index) {
        byte[] out = new byte[imageBytes()];
        copyImage(index, out, 0);
        return out;
    }

    /** A copy of all labels. */
    default int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** The number of images of each class. */
    default int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int i = 0; i < size(); i++) {
            counts[label(i)]++;
        }
        return counts;
    }

    /**
     * A view of the images at {@code indices}, in that order (no pixels are copied).
     *
     * @param indices positions in this data set; repeats are allowed
     * @param name the name of the view, e.g. {@code "fashion-mnist/train[val]"}
     */
    default ImageDataset subset(int[] indices, String name) {
        return new SubsetImageDataset(this, indices, name);
    }

    /** The first {@code n} images (or all, if fewer): for quick runs and tests. */
    default ImageDataset head(int n) {
        int k = Math.min(n, size());
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = i;
        }
        return subset(idx, name() + "[:" + k + "]");
    }

    /**
     * SHA-256 over the shape, the labels and every pixel: identifies exactly which data produced a result
     * (provenance). Reads the whole data set once.
     */
    default String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        ByteBuffer header = ByteBuffer.allocate(16).putInt(size()).putInt(channels()).putInt(height()).putInt(width());
        sha.update(header.array());
        byte[] img = new byte[imageBytes()];
        ByteBuffer label = ByteBuffer.allocate(4);
        for (int i = 0; i < size(); i++) {
            copyImage(i, img, 0);
            sha.update(img);
            label.clear();
            sha.update(label.putInt(label(i)).array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
