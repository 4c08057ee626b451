package dev.excon.experiment;

import dev.excon.eval.BinEdges;
import dev.excon.eval.PaperProtocol;
import dev.excon.saliency.Explainers;
import dev.excon.train.TrainConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How every point of an experiment is evaluated: {@link PaperProtocol}'s options; the bin convention and the explainer
 * come from each point's configuration.
 *
 * @param testLimit test images per point, class-balanced (0 = all)
 * @param batchSize images per forward pass
 * @param epsilons FGSM and PGD radii in /255
 * @param pgd whether PGD runs
 * @param pgdLimit PGD images (0 = all)
 * @param corruptions whether the corruption suite runs
 * @param corruptionLimit images per corruption and severity
 * @param tsne whether the t-SNE runs
 */
public record EvaluationSettings(int testLimit, int batchSize, double[] epsilons, boolean pgd, int pgdLimit,
        boolean corruptions, int corruptionLimit, boolean tsne) {

    /** The protocol's defaults without the t-SNE (a per-run picture, not a number to compare over seeds). */
    public static final EvaluationSettings DEFAULT =
            new EvaluationSettings(0, 128, new double[] {1, 2, 4, 8}, true, 0, true, 1000, false);

    /** Validates and copies. */
    public EvaluationSettings {
        if (testLimit < 0 || batchSize < 1 || pgdLimit < 0 || corruptionLimit < 1) {
            throw new IllegalArgumentException("evaluation settings testLimit=" + testLimit + ", batchSize=" + batchSize
                    + ", pgdLimit=" + pgdLimit + ", corruptionLimit=" + corruptionLimit + ": limits must be >= 0 (0 = "
                    + "all), batchSize and corruptionLimit >= 1");
        }
        if (epsilons == null || epsilons.length == 0) {
            throw new IllegalArgumentException("epsilons must name at least one radius, e.g. 1,2,4,8");
        }
        epsilons = epsilons.clone();
    }

    @Override
    public double[] epsilons() {
        return epsilons.clone();
    }

    /** The protocol for a point with configuration {@code config}. */
    public PaperProtocol protocol(TrainConfig config, long seed, Consumer<String> progress) {
        PaperProtocol.Builder b = PaperProtocol.builder().optTestLimit(testLimit).optBatchSize(batchSize)
                .optEpsilons(epsilons).optPgd(pgd).optPgdLimit(pgdLimit).optCorruptions(corruptions)
                .optCorruptionLimit(corruptionLimit).optTsne(tsne, 10, 50).optSeed(seed)
                .optBinEdges(BinEdges.parse(config.calibrationBins()))
                .optExplainer(Explainers.byName(config.explainer()));
        if (progress != null) {
            b.optProgress(progress);
        }
        return b.build();
    }

    /** As manifest properties, each key prefixed. */
    Map<String, String> toProperties(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(prefix + "testLimit", Integer.toString(testLimit));
        m.put(prefix + "batchSize", Integer.toString(batchSize));
        m.put(prefix + "epsilons", String.join(",", Arrays.stream(epsilons).mapToObj(Double::toString).toList()));
        m.put(prefix + "pgd", Boolean.toString(pgd));
        m.put(prefix + "pgdLimit", Integer.toString(pgdLimit));
        m.put(prefix + "corruptions", Boolean.toString(corruptions));
        m.put(prefix + "corruptionLimit", Integer.toString(corruptionLimit));
        m.put(prefix + "tsne", Boolean.toString(tsne));
        return m;
    }

    /** Reads {@link #toProperties}; a missing or malformed value names its key. */
    static EvaluationSettings fromProperties(Map<String, String> p, String prefix) {
        try {
            return new EvaluationSettings(Integer.parseInt(get(p, prefix + "testLimit")),
                    Integer.parseInt(get(p, prefix + "batchSize")),
                    Arrays.stream(get(p, prefix + "epsilons").split(",")).mapToDouble(Double::parseDouble).toArray(),
                    Boolean.parseBoolean(get(p, prefix + "pgd")), Integer.parseInt(get(p, prefix + "pgdLimit")),
                    Boolean.parseBoolean(get(p, prefix + "corruptions")),
                    Integer.parseInt(get(p, prefix + "corruptionLimit")),
                    Boolean.parseBoolean(get(p, prefix + "tsne")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a malformed evaluation setting: " + e.getMessage(), e);
        }
    }

    private static String get(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationSettings e && toProperties("").equals(e.toProperties(""));
    }

    @Override
    public int hashCode() {
        return toProperties("").hashCode();
    }

    @Override
    public String toString() {
        return "EvaluationSettings" + toProperties("");
    }
}
