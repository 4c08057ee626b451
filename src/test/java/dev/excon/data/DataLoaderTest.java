package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    @Test
    void yieldsFloatNchwInTheUnitIntervalWithMatchingLabels() {
        ImageDataset data = SyntheticData.random(10, 3, 4, 5, 1);
        DataLoader loader = DataLoader.builder(data).setBatchSize(4).optShuffle(false).optDevice(Device.cpu()).build();
        assertEquals(3, loader.batchesPerEpoch());
        List<Integer> sizes = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); DataLoader.Epoch epoch = loader.epoch(0, m)) {
            for (Batch b : epoch) {
                try (b) {
                    assertEquals(DataType.FLOAT32, b.images().getDataType());
                    assertEquals(new Shape(b.size(), 3, 4, 4), b.images().getShape());
                    assertEquals(DataType.INT64, b.labels().getDataType());
                    float[] px = b.images().toFloatArray();
                    int[] idx = b.indices();
                    for (int k = 0; k < b.size(); k++) {
                        byte[] img = data.image(idx[k]);
                        for (int p = 0; p < img.length; p++) {
                            assertEquals((img[p] & 0xFF) / 255f, px[k * 48 + p], 1e-7f);
                        }
                        assertEquals(data.label(idx[k]), b.labels().toLongArray()[k]);
                        assertEquals(data.label(idx[k]), b.labelValues()[k]);
                    }
                    sizes.add(b.size());
                }
            }
        }
        assertEquals(List.of(4, 4, 2), sizes);
    }

    @Test
    void chosenImagesMakeABatchLikeTheLoaders() {
        ImageDataset data = SyntheticData.random(10, 3, 4, 5, 1);
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); Batch b = Batch.of(data, m, 7, 2)) {
            assertEquals(new Shape(2, 3, 4, 4), b.images().getShape());
            assertArrayEquals(new int[] {7, 2}, b.indices());
            assertArrayEquals(new long[] {data.label(7), data.label(2)}, b.labels().toLongArray());
            assertEquals((data.image(2)[5] & 0xFF) / 255f, b.images().toFloatArray()[48 + 5], 1e-7f);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Batch.of(data, m, 10));
            assertTrue(e.getMessage().contains("image 10") && e.getMessage().contains("0..9"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Batch.of(data, m));
        }
    }

    @Test
    void shuffleIsAPermutationFixedBySeedAndEpoch() {
        ImageDataset data = SyntheticData.random(50, 1, 2, 3, 2);
        DataLoader a = DataLoader.builder(data).setBatchSize(8).optSeed(7).optDevice(Device.cpu()).build();
        DataLoader b = DataLoader.builder(data).setBatchSize(8).optSeed(7).optDevice(Device.cpu()).build();
        assertArrayEquals(a.order(3), b.order(3));
        assertFalse(Arrays.equals(a.order(0), a.order(1)), "each epoch has its own order");
        int[] sorted = a.order(0).clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        // The batches follow order(epoch).
        List<Integer> seen = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); DataLoader.Epoch epoch = a.epoch(3, m)) {
            for (Batch batch : epoch) {
                try (batch) {
                    for (int i : batch.indices()) {
                        seen.add(i);
                    }
                }
            }
        }
        assertArrayEquals(a.order(3), seen.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void dropLastKeepsShapesStatic() {
        ImageDataset data = SyntheticData.random(10, 1, 2, 3, 3);
        DataLoader loader = DataLoader.builder(data).setBatchSize(4).optDropLast(true).optDevice(Device.cpu()).build();
        int count = 0;
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); DataLoader.Epoch epoch = loader.epoch(0, m)) {
            for (Batch b : epoch) {
                try (b) {
                    assertEquals(4, b.size());
                    count++;
                }
            }
        }
        assertEquals(2, count);
    }

    @Test
    void closingEarlyStopsTheThreadAndFreesPreparedBatches() throws Exception {
        ImageDataset data = SyntheticData.random(400, 3, 8, 3, 4);
        DataLoader loader = DataLoader.builder(data).setBatchSize(4).optPrefetch(3).optDevice(Device.cpu()).build();
        // Repeated, because closing can race with a batch the thread is still preparing or handing over.
        for (int round = 0; round < 25; round++) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                DataLoader.Epoch epoch = loader.epoch(round, m);
                epoch.next().close();
                epoch.close();
                assertFalse(epoch.hasNext());
                assertFalse(loaderThreadAlive(), "the loader thread must end when the epoch closes");
                // Only batches handed out stay attached; the prepared ones were closed with the epoch.
                assertEquals(0, liveArrays(m), "round " + round);
            }
        }
    }

    @Test
    void aFailingDataSetSurfacesOnTheConsumerThread() {
        ImageDataset broken = new FailingDataset(SyntheticData.random(20, 1, 2, 2, 5), 9);
        DataLoader loader = DataLoader.builder(broken).setBatchSize(4).optShuffle(false).optDevice(Device.cpu()).build();
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); DataLoader.Epoch epoch = loader.epoch(0, m)) {
            epoch.next().close();
            epoch.next().close();
            DatasetException e = assertThrows(DatasetException.class, epoch::next);
            assertTrue(e.getMessage().contains("image 9 is unreadable"), e.getMessage());
            assertFalse(epoch.hasNext());
        }
    }

    @Test
    void badOptionsAreRejectedWithTheFix() {
        ImageDataset data = SyntheticData.random(3, 1, 2, 2, 6);
        IllegalArgumentException noBatch =
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).build());
        assertTrue(noBatch.getMessage().contains("setBatchSize"), noBatch.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(data).setBatchSize(8).optDropLast(true).build());
        assertTrue(tooFew.getMessage().contains("3 images"), tooFew.getMessage());
    }

    private static boolean loaderThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("excon-loader-") && t.isAlive());
    }

    /** Counts arrays still open under {@code m} and its sub-managers. */
    private static int liveArrays(NDManager m) {
        return (int) m.getManagedArrays().stream().filter(a -> !a.isReleased()).count();
    }

    /** Delegates to a data set but throws when image {@code bad} is read. */
    private record FailingDataset(ImageDataset base, int bad) implements ImageDataset {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public int size() {
            return base.size();
        }

        @Override
        public int channels() {
            return base.channels();
        }

        @Override
        public int height() {
            return base.height();
        }

        @Override
        public int width() {
            return base.width();
        }

        @Override
        public List<String> classNames() {
            return base.classNames();
        }

        @Override
        public int label(int index) {
            return base.label(index);
        }

        @Override
        public void copyImage(int index, byte[] dst, int offset) {
            if (index == bad) {
                throw new DatasetException("image " + index + " is unreadable");
            }
            base.copyImage(index, dst, offset);
        }
    }
}
