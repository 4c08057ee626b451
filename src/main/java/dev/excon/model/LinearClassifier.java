package dev.excon.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The reference's {@code LinearClassifier}: one {@code Linear(d, C)} on backbone features. Trained with
 * cross-entropy on frozen features in the joint protocol, or end-to-end with the backbone for the CE baseline.
 *
 * <p>Input: features (N, d); output: logits (N, C) over the real classes (no background unit, as in the reference).
 */
public final class LinearClassifier extends AbstractBlock {

    private final Linear linear;
    private final int numClasses;

    /** @param numClasses C */
    public LinearClassifier(int numClasses) {
        this.numClasses = numClasses;
        this.linear = addChildBlock("fc", Linear.builder().setUnits(numClasses).build());
    }

    /** C. */
    public int numClasses() {
        return numClasses;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return linear.forward(ps, inputs, training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        linear.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    public String toString() {
        return "LinearClassifier(" + numClasses + " classes)";
    }
}
