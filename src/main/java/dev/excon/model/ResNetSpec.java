package dev.excon.model;

import java.util.Arrays;

/**
 * The shape of a CIFAR-style ResNet: block type, blocks per stage, stage widths and the stem width. Strides are 1 for
 * the first stage and 2 for every later one, as in the reference.
 *
 * @param name e.g. {@code "resnet18"}
 * @param bottleneck Bottleneck (true) or BasicBlock (false) stages
 * @param blocks residual blocks per stage
 * @param widths each stage's width (planes); a Bottleneck stage outputs 4x that
 * @param stemWidth channels of the 3x3 stem convolution
 */
public record ResNetSpec(String name, boolean bottleneck, int[] blocks, int[] widths, int stemWidth) {

    /** CIFAR ResNet-18: BasicBlock [2, 2, 2, 2], widths 64-512, feature dimension 512. */
    public static final ResNetSpec RESNET18 =
            new ResNetSpec("resnet18", false, new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512}, 64);

    /** CIFAR ResNet-34: BasicBlock [3, 4, 6, 3], feature dimension 512. */
    public static final ResNetSpec RESNET34 =
            new ResNetSpec("resnet34", false, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512}, 64);

    /** CIFAR ResNet-50: Bottleneck [3, 4, 6, 3], feature dimension 2048 (the reference's default backbone). */
    public static final ResNetSpec RESNET50 =
            new ResNetSpec("resnet50", true, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512}, 64);

    /** CIFAR ResNet-101: Bottleneck [3, 4, 23, 3], feature dimension 2048. */
    public static final ResNetSpec RESNET101 =
            new ResNetSpec("resnet101", true, new int[] {3, 4, 23, 3}, new int[] {64, 128, 256, 512}, 64);

    /**
     * A small ResNet for quick CPU runs: BasicBlock [1, 1, 1], widths 32-128, feature dimension 128, about 0.7 M
     * parameters and 1/15 of ResNet-18's compute per image.
     */
    public static final ResNetSpec SMALL =
            new ResNetSpec("resnet-small", false, new int[] {1, 1, 1}, new int[] {32, 64, 128}, 32);

    /** Validates the shape; arrays are copied. */
    public ResNetSpec {
        if (blocks.length == 0 || blocks.length != widths.length) {
            throw new IllegalArgumentException(
                    name + ": " + blocks.length + " block counts and " + widths.length + " widths; need one per stage");
        }
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] < 1 || widths[i] < 1) {
                throw new IllegalArgumentException(name + ": stage " + (i + 1) + " has " + blocks[i]
                        + " blocks of width " + widths[i] + "; both must be positive");
            }
        }
        if (stemWidth < 1) {
            throw new IllegalArgumentException(name + ": stemWidth=" + stemWidth + " must be positive");
        }
        blocks = blocks.clone();
        widths = widths.clone();
    }

    /** Looks a catalogue entry up by name ({@code resnet18}, {@code resnet34}, {@code resnet50}, ...). */
    public static ResNetSpec byName(String name) {
        for (ResNetSpec s : new ResNetSpec[] {RESNET18, RESNET34, RESNET50, RESNET101, SMALL}) {
            if (s.name.equalsIgnoreCase(name) || (s == SMALL && name.equalsIgnoreCase("small"))) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown backbone '" + name + "'; choose resnet18, resnet34, resnet50, resnet101 or small");
    }

    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** The number of stages. */
    public int stages() {
        return blocks.length;
    }

    /** Channels of the pooled feature vector. */
    public int featureDim() {
        return widths[widths.length - 1] * (bottleneck ? ResidualBlock.BOTTLENECK_EXPANSION : 1);
    }

    /** The spatial downsampling factor at the end of {@code stage} (1-based). */
    public int downsampling(int stage) {
        return 1 << (stage - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetSpec s && name.equals(s.name) && bottleneck == s.bottleneck
                && Arrays.equals(blocks, s.blocks) && Arrays.equals(widths, s.widths) && stemWidth == s.stemWidth;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(blocks);
    }

    @Override
    public String toString() {
        return name + "(" + (bottleneck ? "Bottleneck" : "BasicBlock") + " " + Arrays.toString(blocks) + ", widths "
                + Arrays.toString(widths) + ", stem " + stemWidth + ", features " + featureDim() + ")";
    }
}
