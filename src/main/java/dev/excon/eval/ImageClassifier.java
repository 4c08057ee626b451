package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.excon.model.ExconNetwork;
import java.util.List;

/**
 * What an {@link Attack} needs of a model: logits of images, differentiable with respect to the pixels, and the
 * parameters to freeze while attacking. {@link #of(ExconNetwork)} adapts the ExCon network; any other DJL model (a
 * linear model in the tests) can be attacked through a lambda-sized implementation.
 */
public interface ImageClassifier {

    /**
     * Logits in evaluation mode (running batch-norm statistics, nothing updated).
     *
     * @param images (N, C, H, W) float32 in [0, 1] (may record gradients)
     * @return (N, K) float32 logits
     */
    NDArray logits(NDArray images);

    /** The trainable parameters; attacks freeze them and restore their previous state afterwards. */
    List<Parameter> parameters();

    /** The classifier {@code classifier(backbone(x))} of an ExCon network, in evaluation mode. */
    static ImageClassifier of(ExconNetwork net) {
        return new ImageClassifier() {
            @Override
            public NDArray logits(NDArray images) {
                return net.logits(images);
            }

            @Override
            public List<Parameter> parameters() {
                return net.trainableParameters();
            }

            @Override
            public String toString() {
                return net.toString();
            }
        };
    }
}
