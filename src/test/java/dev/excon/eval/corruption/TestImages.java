package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Natural-looking synthetic test images: smooth colour gradients, a bright disc, a dark bar and fine stripes. */
final class TestImages {

    private TestImages() {}

    /** {@code n} images (n, channels, size, size) in [0, 1]; image i is shifted by i pixels. */
    static float[] pixels(int n, int channels, int size) {
        float[] v = new float[n * channels * size * size];
        int plane = size * size;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double u = (double) ((x + i) % size) / (size - 1);
                    double t = (double) y / (size - 1);
                    double r = 0.15 + 0.7 * u;
                    double g = 0.2 + 0.5 * t + 0.1 * Math.sin(6 * u);
                    double b = 0.6 - 0.4 * u * t;
                    double dx = x - size * 0.35;
                    double dy = y - size * 0.6;
                    if (dx * dx + dy * dy < size * size * 0.04) { // a bright yellow disc
                        r = 0.95;
                        g = 0.85;
                        b = 0.2;
                    }
                    if (x > size * 0.7 && x < size * 0.8) { // a dark bar with a sharp edge
                        r = 0.05;
                        g = 0.1;
                        b = 0.15;
                    }
                    if (y < size / 4 && x % 3 == 0) { // fine stripes: texture for the blurs and pixelate
                        r = Math.min(1, r + 0.25);
                        g = Math.min(1, g + 0.25);
                        b = Math.min(1, b + 0.25);
                    }
                    double[] rgb = {r, g, b};
                    int base = i * channels * plane;
                    if (channels == 1) {
                        v[base + y * size + x] = (float) (0.299 * r + 0.587 * g + 0.114 * b);
                    } else {
                        for (int c = 0; c < 3; c++) {
                            v[base + c * plane + y * size + x] = (float) rgb[c];
                        }
                    }
                }
            }
        }
        return v;
    }

    static NDArray images(NDManager m, int n, int channels, int size) {
        return m.create(pixels(n, channels, size), new Shape(n, channels, size, size));
    }
}
