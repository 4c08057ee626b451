package dev.excon.model;

/**
 * Where in a {@link ResNet} an explainer reads activations.
 *
 * @param stage the stage, 1-based (1 = the first residual stage after the stem)
 * @param position {@link Position#LAST_CONV}: the output of the last convolution of the stage's last block, before
 *     its batch norm, residual addition and ReLU (what the reference hooks: {@code layer2[1].conv2} on CIFAR);
 *     {@link Position#OUTPUT}: the stage's output after the final ReLU (the usual Grad-CAM layer)
 */
public record Tap(int stage, Position position) {

    /** Where inside the stage. */
    public enum Position {
        /** The last convolution of the stage's last block (pre-BN, pre-residual): the reference's hook. */
        LAST_CONV,
        /** The stage's output. */
        OUTPUT
    }

    /** Validates the stage number. */
    public Tap {
        if (stage < 1) {
            throw new IllegalArgumentException("stage=" + stage + ": stages are numbered from 1");
        }
    }

    /** The reference's choice: the last convolution of {@code stage}. */
    public static Tap lastConv(int stage) {
        return new Tap(stage, Position.LAST_CONV);
    }

    /** The output of {@code stage}. */
    public static Tap output(int stage) {
        return new Tap(stage, Position.OUTPUT);
    }

    @Override
    public String toString() {
        return "stage " + stage + (position == Position.LAST_CONV ? " last conv" : " output");
    }
}
