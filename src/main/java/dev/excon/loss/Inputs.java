package dev.excon.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Input checks and scoping shared by the losses. */
final class Inputs {

    private Inputs() {}

    /** A copy on the scope's device owned by the scope, so that nothing derived from it outlives the call. */
    static NDArray local(NDManager scope, NDArray x) {
        NDArray copy = x.toDevice(scope.getDevice(), true);
        copy.attach(scope);
        return copy;
    }

    /** Throws unless {@code x} is float32 or float64. */
    static void checkFloat(String name, NDArray x) {
        DataType t = x.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT64) {
            throw new IllegalArgumentException(name + " must be float32 or float64, got " + t);
        }
    }

    /**
     * Throws unless {@code x} is a boolean or numeric (N) vector with one entry per row of {@code rowsName}, whose
     * shape is {@code rows}.
     */
    static void checkPerRow(String name, NDArray x, String rowsName, Shape rows) {
        Shape s = x.getShape();
        if (s.dimension() != 1 || s.get(0) != rows.get(0)) {
            throw new IllegalArgumentException(
                    name + " " + s + " must be (" + rows.get(0) + "), one entry per row of " + rowsName + " " + rows);
        }
        DataType t = x.getDataType();
        if (!t.isBoolean() && !t.isInteger() && !t.isFloating()) {
            throw new IllegalArgumentException(name + " must be boolean or numeric, got " + t);
        }
    }

    /** Throws unless {@code labels} is an integer (N) vector with one entry per row of {@code rowsName}. */
    static void checkLabels(NDArray labels, String rowsName, Shape rows) {
        checkPerRow("labels", labels, rowsName, rows);
        if (!labels.getDataType().isInteger()) {
            throw new IllegalArgumentException("labels must be an integer type (int64), got " + labels.getDataType());
        }
    }
}
