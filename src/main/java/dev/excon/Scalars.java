package dev.excon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic between an array and a number, and arrays made from Java values, whose memory libtorch owns.
 *
 * <p>Why not {@code x.mul(2f)}: on the CPU, DJL's PyTorch engine wraps the number (and any array made with {@code
 * NDManager.create(float[] ...)}) in a tensor that points into a Java direct buffer, and {@code mul(Number)} closes
 * that tensor at once. Autograd keeps the tensor for {@code backward()} (a product's gradient needs the factor), but
 * the closed array no longer holds the buffer, so the garbage collector may free it before {@code backward()} reads
 * it. The gradient then depends on GC timing: training runs stopped diverge with a NaN loss at random, more often
 * when another process shares the cores. Every array here is allocated by libtorch instead, so its memory lives as
 * long as anything (autograd included) refers to it. {@code ArchitectureTest} keeps the library off the number
 * overloads ({@code mul}, {@code muli}, {@code div}, {@code divi}, {@code maximum}, {@code minimum}, {@code pow},
 * {@code powi}).
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A 0-dimensional array holding {@code value}, on {@code like}'s device, owned by libtorch. It has {@code like}'s
     * data type when that is floating, or integer and {@code value} is whole; else float32. So it promotes as DJL's
     * number overloads with a float do: a float32 array times it stays float32.
     */
    public static NDArray of(NDArray like, double value) {
        DataType type = like.getDataType();
        boolean keep = type.isFloating() || type.isInteger() && value == Math.rint(value);
        try (NDArray javaBacked = like.getManager().create(value)) {
            NDArray typed = javaBacked.toType(keep ? type : DataType.FLOAT32, false);
            NDArray s = typed == javaBacked ? javaBacked.duplicate() : typed; // a conversion allocates in libtorch
            if (!s.getDevice().equals(like.getDevice())) {
                NDArray moved = s.toDevice(like.getDevice(), true);
                s.close();
                return moved;
            }
            return s;
        }
    }

    /** {@code x * value}. */
    public static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    /** {@code x *= value}, in place; returns {@code x}. */
    public static NDArray muli(NDArray x, double value) {
        return x.muli(of(x, value));
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return x.div(of(x, value));
    }

    /** {@code x /= value}, in place; returns {@code x}. */
    public static NDArray divi(NDArray x, double value) {
        return x.divi(of(x, value));
    }

    /** The element-wise maximum of {@code x} and {@code value}. */
    public static NDArray maximum(NDArray x, double value) {
        return x.maximum(of(x, value));
    }

    /** The element-wise minimum of {@code x} and {@code value}. */
    public static NDArray minimum(NDArray x, double value) {
        return x.minimum(of(x, value));
    }

    /** {@code x} to the power {@code value}. */
    public static NDArray pow(NDArray x, double value) {
        return x.pow(of(x, value));
    }

    /**
     * A float32 array of {@code values} in {@code shape} on {@code manager}'s device, copied into memory libtorch owns
     * (see the class comment): for arrays that autograd may keep, or that views may outlive.
     */
    public static NDArray owned(NDManager manager, float[] values, Shape shape) {
        try (NDArray javaBacked = manager.create(values, shape)) {
            return javaBacked.duplicate();
        }
    }

    /** An int64 array of {@code values}, copied into memory libtorch owns. */
    public static NDArray owned(NDManager manager, long[] values) {
        try (NDArray javaBacked = manager.create(values)) {
            return javaBacked.duplicate();
        }
    }
}
