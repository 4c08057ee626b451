package dev.excon.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.augment.StandardView;
import dev.excon.augment.SupConAugmentation;
import dev.excon.data.ArrayImageDataset;
import dev.excon.data.Batch;
import dev.excon.data.DataLoader;
import dev.excon.data.ImageDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Loader + SupCon view pipeline throughput on CIFAR-shaped data (3x32x32). */
final class PipelineBench {

    private PipelineBench() {}

    static ImageDataset cifarShaped(int n, long seed) {
        byte[] pixels = new byte[n * 3 * 32 * 32];
        new SplittableRandom(seed).nextBytes(pixels);
        int[] labels = new int[n];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            names.add("class" + c);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 100;
        }
        return new ArrayImageDataset("random-cifar", pixels, labels, 3, 32, 32, names);
    }

    /**
     * Runs {@code epochs} passes; per batch, loads and makes {@code views} augmented views (SupCon: 2; ExCon also
     * needs the standard view). Returns images per second.
     */
    static double run(ImageDataset data, int batchSize, int views, boolean standard, int epochs) {
        SupConAugmentation aug = SupConAugmentation.reference(32);
        StandardView std = new StandardView(32);
        DataLoader loader = DataLoader.builder(data).setBatchSize(batchSize).optSeed(1).optDropLast(true).build();
        SplittableRandom rng = new SplittableRandom(2);
        long images = 0;
        long start = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager(loader.device())) {
            for (int e = 0; e < epochs; e++) {
                try (DataLoader.Epoch epoch = loader.epoch(e, m)) {
                    for (Batch b : epoch) {
                        try (b) {
                            float checksum = 0;
                            for (int v = 0; v < views; v++) {
                                NDArray view = aug.apply(b.images(), rng);
                                checksum += view.getFloat(0, 0, 0, 0);
                            }
                            if (standard) {
                                checksum += std.apply(b.images()).getFloat(0, 0, 0, 0);
                            }
                            if (Float.isNaN(checksum)) {
                                throw new IllegalStateException("NaN in a view");
                            }
                            images += b.size();
                        }
                    }
                }
            }
        }
        return images / ((System.nanoTime() - start) / 1e9);
    }
}
