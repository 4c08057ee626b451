package dev.excon.model;

import ai.djl.nn.Parameter;
import java.util.List;

/**
 * Parameters frozen for one gradient pass that must leave them alone (an explanation, an attack), each restored to
 * its own previous state on {@link #close()}: a parameter that was already frozen stays frozen.
 */
public final class FrozenParameters implements AutoCloseable {

    private final List<Parameter> parameters;
    private final boolean[] trainable;

    private FrozenParameters(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
        this.trainable = new boolean[this.parameters.size()];
        for (int i = 0; i < trainable.length; i++) {
            trainable[i] = this.parameters.get(i).requiresGradient();
        }
        for (Parameter p : this.parameters) {
            p.freeze(true);
        }
    }

    /** Records each parameter's state, then freezes them all. */
    public static FrozenParameters freeze(List<Parameter> parameters) {
        return new FrozenParameters(parameters);
    }

    /** Puts every parameter back as it was. */
    @Override
    public void close() {
        for (int i = 0; i < trainable.length; i++) {
            parameters.get(i).freeze(!trainable[i]);
        }
    }
}
