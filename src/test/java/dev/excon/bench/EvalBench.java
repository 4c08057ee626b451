package dev.excon.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.ExconRuntime;
import dev.excon.eval.DropIncrease;
import dev.excon.model.ExconNetwork;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explainers;
import dev.excon.saliency.Target;
import java.util.SplittableRandom;

/**
 * The reference's explanation-quality evaluation ({@code util.eval_drop_increase}) on CIFAR ResNet-18 with 100
 * classes, random data and initialisation: the batched {@link DropIncrease} against two one-image-at-a-time loops
 * with the same Grad-CAM, the same network and the same images.
 */
final class EvalBench {

    private EvalBench() {}

    /** Seconds for the batched evaluation, the same code one image at a time, and the reference's loop. */
    static double[] dropIncreaseSeconds(int images, int runs) {
        ExconRuntime.noGradientRecording();
        try (ExconNetwork net = TrainBench.network(1, dev.excon.model.Precision.FP32);
                NDManager m = net.manager().newSubManager()) {
            NDArray x = TrainBench.randomImages(m, images, new SplittableRandom(6));
            DropIncrease batched = DropIncrease.builder().optBatchSize(images).build();
            batched.evaluate(net, x.get("0:8")); // warm-up: JIT, allocator, natives
            double[] t = new double[runs];
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                batched.evaluate(net, x);
                t[r] = (System.nanoTime() - start) / 1e9;
            }
            double batchedSeconds = TrainBench.median(t);

            long start = System.nanoTime();
            for (int i = 0; i < images; i++) {
                batched.evaluate(net, x.get(i + ":" + (i + 1)));
            }
            double oneAtATime = (System.nanoTime() - start) / 1e9;

            start = System.nanoTime();
            referenceLoop(net, x, batched.keptPixels(32, 32));
            double reference = (System.nanoTime() - start) / 1e9;
            return new double[] {batchedSeconds, oneAtATime, reference};
        }
    }

    /**
     * Runs {@link dev.excon.eval.PaperProtocol} with its defaults on random CIFAR-shaped data (a validation split of
     * half as many images) and returns each phase's name and wall seconds, in order.
     */
    static java.util.List<String[]> protocolPhases(int images) {
        ExconRuntime.noGradientRecording();
        SplittableRandom rnd = new SplittableRandom(11);
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < 100; c++) {
            names.add("class " + c);
        }
        dev.excon.data.ImageDataset test = randomCifar("random-test", images, rnd, names);
        dev.excon.data.ImageDataset validation = randomCifar("random-validation", images / 2, rnd, names);
        java.util.List<String[]> out = new java.util.ArrayList<>();
        try (ExconNetwork net = TrainBench.network(1, dev.excon.model.Precision.FP32)) {
            long[] last = {System.nanoTime()};
            String[] current = {null};
            dev.excon.eval.PaperProtocol p = dev.excon.eval.PaperProtocol.builder().optProgress(msg -> {
                long now = System.nanoTime();
                if (current[0] != null) {
                    out.add(new String[] {current[0], String.format(java.util.Locale.ROOT, "%.1f",
                            (now - last[0]) / 1e9)});
                }
                current[0] = msg.replaceFirst("^bench: ", "");
                last[0] = now;
            }).build();
            p.evaluate("bench", net, validation, test, null);
            out.add(new String[] {current[0], String.format(java.util.Locale.ROOT, "%.1f",
                    (System.nanoTime() - last[0]) / 1e9)});
        }
        return out;
    }

    private static dev.excon.data.ImageDataset randomCifar(String name, int n, SplittableRandom rnd,
            java.util.List<String> classes) {
        byte[] px = new byte[n * 3 * 32 * 32];
        rnd.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes.size();
        }
        return new dev.excon.data.ArrayImageDataset(name, px, labels, 3, 32, 32, classes);
    }

    /**
     * The reference's structure, one image at a time: a prediction forward, a separate Grad-CAM pass for the
     * predicted class, a top-k mask, then for each of the four scores a forward of the original and one of the
     * masked image, each read back to the host ({@code .item()}).
     */
    private static void referenceLoop(ExconNetwork net, NDArray x, int k) {
        Explainer gradCam = Explainers.gradCam();
        float[] mean = net.backbone().stats().mean();
        for (int i = 0; i < x.getShape().get(0); i++) {
            try (NDManager step = x.getManager().newSubManager()) {
                NDArray xi = x.get(i + ":" + (i + 1));
                xi.attach(step);
                long c = net.logits(xi).argMax(1).toLongArray()[0];
                NDArray raw = gradCam.explainRaw(net, xi, Target.classes(step.create(new long[] {c}))).reshape(-1);
                float kth = raw.sort().get(raw.getShape().get(0) - k).getFloat();
                NDArray keep = raw.gte(kth).toType(DataType.FLOAT32, false).reshape(1, 1, 32, 32);
                NDArray colour = step.create(mean, new Shape(1, 3, 1, 1));
                NDArray masked = xi.mul(keep).add(keep.neg().add(1f).mul(colour));
                for (int combo = 0; combo < 4; combo++) {
                    float y = net.logits(xi).softmax(1).getFloat(0, c);
                    float o = net.logits(masked).softmax(1).getFloat(0, c);
                    if (!(y > 0) || Float.isNaN(o)) {
                        throw new IllegalStateException("confidence " + y + ", " + o);
                    }
                }
            }
        }
    }
}
