package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.excon.Scalars;

/**
 * The reference's MLP projection head ({@code head='mlp'}): {@code Linear(d, d) -> ReLU -> Linear(d, out)}, then L2
 * normalisation, so that contrastive similarities are cosines. Only the encoder branch uses it; the classifier and
 * the explainers read the backbone features.
 *
 * <p>Input: features (N, d); output: unit-length embeddings (N, out), out = 128 in the reference.
 */
public final class ProjectionHead extends AbstractBlock {

    /** The reference's embedding size. */
    public static final int DEFAULT_DIM = 128;

    private final Linear hidden;
    private final Linear output;
    private final int inDim;
    private final int outDim;

    /**
     * @param inDim backbone feature dimension d
     * @param outDim embedding dimension (128 in the reference)
     */
    public ProjectionHead(int inDim, int outDim) {
        this.inDim = inDim;
        this.outDim = outDim;
        this.hidden = addChildBlock("fc1", Linear.builder().setUnits(inDim).build());
        this.output = addChildBlock("fc2", Linear.builder().setUnits(outDim).build());
    }

    /** Embedding dimension. */
    public int outDim() {
        return outDim;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = hidden.forward(ps, inputs, training).singletonOrThrow();
        NDArray z = output.forward(ps, new NDList(Activation.relu(h)), training).singletonOrThrow();
        return new NDList(l2Normalize(z));
    }

    /** Rows divided by their L2 norm (floored at 1e-12, as PyTorch's {@code F.normalize}). */
    public static NDArray l2Normalize(NDArray z) {
        NDArray norm = Scalars.maximum(z.square().sum(new int[] {1}, true).sqrt(), 1e-12f);
        return z.div(norm);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        hidden.initialize(manager, dataType, inputShapes[0]);
        output.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inDim));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outDim)};
    }

    @Override
    public String toString() {
        return "ProjectionHead(" + inDim + " -> " + inDim + " -> " + outDim + ", L2)";
    }
}
