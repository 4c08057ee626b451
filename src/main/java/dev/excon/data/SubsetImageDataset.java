package dev.excon.data;

import java.util.List;

/** A re-indexed view of another data set; see {@link ImageDataset#subset}. */
final class SubsetImageDataset implements ImageDataset {

    private final ImageDataset base;
    private final int[] indices;
    private final String name;

    SubsetImageDataset(ImageDataset base, int[] indices, String name) {
        this.base = base;
        this.indices = indices.clone();
        this.name = name;
        for (int i = 0; i < this.indices.length; i++) {
            int idx = this.indices[i];
            if (idx < 0 || idx >= base.size()) {
                throw new IndexOutOfBoundsException(
                        "subset index " + idx + " at position " + i + " is outside " + base.name()
                                + " (size " + base.size() + ")");
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return indices.length;
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
        return base.label(indices[index]);
    }

    @Override
    public void copyImage(int index, byte[] dst, int offset) {
        base.copyImage(indices[index], dst, offset);
    }

    @Override
    public ImageDataset subset(int[] sub, String subName) {
        int[] composed = new int[sub.length];
        for (int i = 0; i < sub.length; i++) {
            if (sub[i] < 0 || sub[i] >= indices.length) {
                throw new IndexOutOfBoundsException(
                        "subset index " + sub[i] + " at position " + i + " is outside " + name + " (size "
                                + indices.length + ")");
            }
            composed[i] = indices[sub[i]];
        }
        return new SubsetImageDataset(base, composed, subName);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + name + ", " + size() + " x " + channels() + "x" + height() + "x" + width() + ", "
                + numClasses() + " classes]";
    }
}
