package dev.excon.model;

import java.util.Locale;

/**
 * How batch norm behaves in a forward pass that is not a training step, such as ExCon's explanation and acceptance
 * passes.
 */
public enum BatchNormMode {
    /** Running statistics, left untouched: the pass does not change the network (this library's default). */
    EVAL,
    /**
     * Batch statistics, and every pass updates the running statistics, as a training-mode forward does: what the
     * reference does by explaining with the encoder in {@code train()} mode.
     */
    TRAIN;

    /** Whether forwards use batch statistics (the {@code training} flag of DJL's {@code forward}). */
    public boolean training() {
        return this == TRAIN;
    }

    /** Parses {@code eval} or {@code train} (any case). */
    public static BatchNormMode parse(String name) {
        for (BatchNormMode m : values()) {
            if (m.name().equalsIgnoreCase(name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown batch-norm mode '" + name + "'; choose eval (running statistics, "
                + "untouched) or train (batch statistics, running statistics updated, as the reference)");
    }

    /** The lower-case name used in configurations. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
