package dev.excon.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.excon.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, exactly PyTorch's {@code torch.optim.SGD} without
 * dampening or Nesterov (the reference's optimiser): {@code g += wd * p; buf = momentum * buf + g; p -= lr * buf}.
 * Weight decay applies to every parameter, biases and batch-norm scales included, as in the reference.
 *
 * <p>Unlike DJL's optimiser, the momentum buffers are visible ({@link #state()}) so checkpoints can restore them and
 * a resumed run continues exactly. {@link #step} also zeroes the gradients it consumed, so nothing leaks into the
 * next step.
 */
public final class Sgd {

    private final List<Parameter> parameters;
    private final float momentum;
    private final float weightDecay;
    private final List<NDArray> buffers = new ArrayList<>();
    private long steps;

    /**
     * @param parameters the trainable parameters, in a fixed order (checkpoints rely on it)
     * @param momentum momentum, 0.9 in the reference
     * @param weightDecay L2 weight decay, 1e-4 in the reference
     */
    public Sgd(List<Parameter> parameters, float momentum, float weightDecay) {
        if (momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException(
                    "momentum=" + momentum + " must be in [0, 1) and weightDecay=" + weightDecay + " >= 0");
        }
        this.parameters = List.copyOf(parameters);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (Parameter p : this.parameters) {
            NDArray w = p.getArray();
            buffers.add(w.zerosLike());
        }
    }

    /** Applies one update with learning rate {@code lr} from the parameters' gradients, then zeroes them. */
    public void step(float lr) {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            try (NDArray grad = w.getGradient()) {
                NDArray buf = buffers.get(i);
                try (NDManager scope = w.getManager().newSubManager()) {
                    // Temporaries attach to the first operand's manager: borrow all three so they die with scope.
                    grad.tempAttach(scope);
                    w.tempAttach(scope);
                    buf.tempAttach(scope);
                    NDArray d = weightDecay == 0 ? grad : grad.add(Scalars.mul(w, weightDecay));
                    Scalars.muli(buf, momentum).addi(d);
                    w.subi(Scalars.mul(buf, lr));
                    grad.subi(grad);
                }
            }
        }
        steps++;
    }

    /** Zeroes the momentum buffers (a new optimisation problem, e.g. each fit of the linear probe). */
    public void resetMomentum() {
        for (NDArray buf : buffers) {
            Scalars.muli(buf, 0);
        }
    }

    /** Zeroes every gradient without updating (e.g. after a rejected step). */
    public void zeroGradients() {
        for (Parameter p : parameters) {
            try (NDArray grad = p.getArray().getGradient()) {
                grad.subi(grad);
            }
        }
    }

    /** The number of updates applied. */
    public long steps() {
        return steps;
    }

    /** The momentum buffers, in parameter order, for checkpoints. */
    public NDList state() {
        return new NDList(buffers);
    }

    /**
     * Restores momentum buffers saved by {@link #state()} (copied into the live buffers) and the step count.
     *
     * @throws IllegalArgumentException if the count or a shape differs (a checkpoint of another configuration)
     */
    public void restore(NDList saved, long savedSteps) {
        if (saved.size() != buffers.size()) {
            throw new IllegalArgumentException("checkpoint has " + saved.size() + " momentum buffers, this optimiser "
                    + buffers.size() + ": it was written for another network");
        }
        for (int i = 0; i < buffers.size(); i++) {
            NDArray live = buffers.get(i);
            NDArray s = saved.get(i);
            if (!live.getShape().equals(s.getShape())) {
                throw new IllegalArgumentException("momentum buffer " + i + " (" + parameters.get(i).getName()
                        + ") has shape " + s.getShape() + " in the checkpoint, " + live.getShape() + " here");
            }
            Scalars.muli(live, 0).addi(s.toDevice(live.getDevice(), false));
        }
        this.steps = savedSteps;
    }

    @Override
    public String toString() {
        return "Sgd[momentum=" + momentum + ", weightDecay=" + weightDecay + ", parameters=" + parameters.size()
                + ", steps=" + steps + "]";
    }
}
