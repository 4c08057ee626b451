package dev.excon.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small in-memory data sets for tests: image i has every pixel of channel c equal to (i * 7 + c) mod 256. */
final class SyntheticData {

    private SyntheticData() {}

    static ImageDataset numbered(int n, int channels, int size, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return numbered(labels, channels, size, classes);
    }

    static ImageDataset numbered(int[] labels, int channels, int size, int classes) {
        int n = labels.length;
        byte[] px = new byte[n * channels * size * size];
        int plane = size * size;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                byte v = (byte) ((i * 7 + c) % 256);
                for (int p = 0; p < plane; p++) {
                    px[(i * channels + c) * plane + p] = v;
                }
            }
        }
        return new ArrayImageDataset("numbered", px, labels, channels, size, size, names(classes));
    }

    static ImageDataset random(int n, int channels, int size, int classes, long seed) {
        byte[] px = new byte[n * channels * size * size];
        SplittableRandom r = new SplittableRandom(seed);
        r.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
        }
        return new ArrayImageDataset("random", px, labels, channels, size, size, names(classes));
    }

    static List<String> names(int classes) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("c" + c);
        }
        return names;
    }
}
