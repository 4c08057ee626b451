package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * The resources of one input-gradient pass (an explanation, an attack), released in {@link #close()} whatever
 * happens: a sub-manager holding every intermediate (the caller's arrays are temporarily attached to it), the model's
 * parameters frozen (their previous state restored afterwards), and an open gradient collector. The explainers'
 * and the attacks' sessions build on it.
 */
public abstract class GradientPass implements AutoCloseable {

    private final NDManager caller;
    private final NDManager scope;
    private final NDArray input;
    private FrozenParameters frozen;
    private GradientCollector collector;

    /**
     * Scopes the pass: {@code images} and {@code others} (null entries skipped) are attached to a new sub-manager of
     * the images' manager until {@link #close()}; {@link #input()} is a detached alias of the images (no copy).
     */
    protected GradientPass(NDArray images, NDArray... others) {
        this.caller = images.getManager();
        this.scope = caller.newSubManager(images.getDevice());
        images.tempAttach(scope);
        for (NDArray a : others) {
            if (a != null) {
                a.tempAttach(scope);
            }
        }
        // Nothing below can reach the caller's autograd graph or write to the images.
        this.input = images.stopGradient();
    }

    /**
     * Freezes {@code parameters} and opens the collector. On failure the caller closes the pass.
     *
     * @param what what opens the collector, for the message when one is already open ("an explainer")
     * @throws IllegalStateException when a gradient collector is already open (DJL collectors cannot nest)
     */
    protected final void start(List<Parameter> parameters, String what) {
        frozen = FrozenParameters.freeze(parameters);
        try {
            collector = scope.getEngine().newGradientCollector();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(what + " opens its own gradient collector and DJL collectors cannot nest "
                    + "(one per process): call it outside any open GradientCollector (e.g. before or after the "
                    + "training step's try-with-resources block)", e);
        }
    }

    /** The open collector. */
    protected final GradientCollector collector() {
        return collector;
    }

    /** The images as a detached alias living in the pass's scope (never mark it; take {@code stopGradient()}). */
    public final NDArray input() {
        return input;
    }

    /** A sub-manager of the pass on the images' device, for arrays created from host data. */
    public final NDManager scope() {
        return scope;
    }

    /** Moves a result to the caller's manager, so that it outlives the pass. */
    public final NDArray keep(NDArray result) {
        result.attach(caller);
        return result;
    }

    @Override
    public void close() {
        try {
            if (collector != null) {
                collector.close();
            }
        } finally {
            try {
                if (frozen != null) {
                    frozen.close();
                }
            } finally {
                scope.close();
            }
        }
    }
}
