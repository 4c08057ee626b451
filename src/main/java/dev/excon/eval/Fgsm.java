package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import dev.excon.Scalars;
import dev.excon.model.ImageModel;
import java.util.Locale;

/**
 * The fast gradient sign method (Goodfellow et al., <a href="https://arxiv.org/abs/1412.6572">arXiv 1412.6572</a>),
 * as the reference's {@code main_linear.validate --fgsm 1} applies it: one step of size eps along the sign of the
 * input gradient of the batch-mean cross-entropy for the true labels, in evaluation mode, then a clamp to [0, 1]:
 *
 * <pre>
 *   x_adv = clamp(x + eps * sign(d/dx mean_i CE(f(x)_i, y_i)), 0, 1)
 * </pre>
 *
 * <p>One forward and one backward pass per batch. A pixel whose gradient is exactly 0 is not moved ({@code sign(0) =
 * 0}). The sign does not depend on the normalisation (its std is positive), so eps is an L-infinity radius on [0, 1]
 * pixels, given in /255 units.
 */
public final class Fgsm implements Attack {

    private final double epsilon255;

    Fgsm(double epsilon255) {
        this.epsilon255 = Attacks.checkEpsilon(epsilon255);
    }

    @Override
    public double epsilon255() {
        return epsilon255;
    }

    @Override
    public Fgsm withEpsilon(double epsilon255) {
        return new Fgsm(epsilon255);
    }

    @Override
    public NDArray perturb(ImageModel model, NDArray images, NDArray labels) {
        try (AttackSession s = AttackSession.open(model, images, labels)) {
            NDArray sign = s.lossGradient(s.input()).gradient().sign();
            return s.keep(step(s.input(), sign, (float) epsilon()));
        }
    }

    /** {@code clamp(x + eps * sign, 0, 1)}, attached to {@code x}'s manager. */
    static NDArray step(NDArray x, NDArray sign, float eps) {
        return x.add(Scalars.mul(sign, eps)).clip(0f, 1f);
    }

    @Override
    public String settings() {
        return "FGSM";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FGSM[eps %s/255]", Attacks.format(epsilon255));
    }
}
