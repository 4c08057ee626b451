package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Validation, memory scoping and the final clip shared by every corruption. Subclasses compute on a sub-manager that
 * is closed when the call returns, so intermediates never pile up on the caller's manager.
 */
abstract class AbstractCorruption implements Corruption {

    private final String name;
    private final String parameterName;
    private final double[] parameters;

    /**
     * @param name the generator's name
     * @param parameterName what the numbers are, for {@link #parameter(int)}
     * @param parameters one number per severity 1-5 (a corruption with several numbers overrides {@link
     *     #parameter(int)})
     */
    AbstractCorruption(String name, String parameterName, double... parameters) {
        this.name = name;
        this.parameterName = parameterName;
        this.parameters = parameters.clone();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public boolean isRandom() {
        return false;
    }

    @Override
    public String parameter(int severity) {
        return parameterName + "=" + format(parameters[checkSeverity(severity) - 1]);
    }

    /** The number for {@code severity} (1-5). */
    final double value(int severity) {
        return parameters[checkSeverity(severity) - 1];
    }

    @Override
    public final NDArray apply(NDArray images, int severity, long seed, long firstIndex) {
        checkSeverity(severity);
        Shape s = images.getShape();
        if (s.dimension() != 4 || (s.get(1) != 1 && s.get(1) != 3) || s.get(2) < 1 || s.get(3) < 1) {
            throw new IllegalArgumentException(name + ": images must be float32 (N, C, H, W) with C = 1 or 3, got "
                    + s + "; add a batch axis with expandDims(0)");
        }
        if (images.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(name + ": images must be float32 in [0, 1], got "
                    + images.getDataType() + "; convert uint8 with toType(DataType.FLOAT32, false).div(255f)");
        }
        if (firstIndex < 0) {
            throw new IllegalArgumentException(name + ": firstIndex=" + firstIndex + " must be >= 0");
        }
        NDManager owner = images.getManager();
        try (NDManager scope = owner.newSubManager(images.getDevice())) {
            images.tempAttach(scope);
            NDArray out = corrupt(scope, images, severity, seed, firstIndex).clip(0f, 1f);
            out.attach(owner);
            return out;
        }
    }

    /**
     * The corruption itself; the result is clipped to [0, 1] by the caller.
     *
     * @param scope the manager of this call's intermediates (the images are temporarily attached to it)
     * @param x float32 (N, C, H, W) in [0, 1]
     */
    abstract NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex);

    static int checkSeverity(int severity) {
        if (severity < 1 || severity > Corruptions.SEVERITIES) {
            throw new IllegalArgumentException("severity " + severity + " is outside 1-" + Corruptions.SEVERITIES
                    + " (1 = mildest, 5 = strongest)");
        }
        return severity;
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Corruption[").append(name).append(" (CIFAR-C-like)");
        for (int s = 1; s <= Corruptions.SEVERITIES; s++) {
            b.append(s == 1 ? ": " : ", ").append(s).append(": ").append(parameter(s));
        }
        return b.append(']').toString();
    }
}
