package dev.excon.train;

/** The training methods of the reference code, named as in the paper where it names them. */
public enum Method {
    /** Cross-entropy baseline: backbone and classifier trained end-to-end ({@code SupCEResNet}). */
    CE,
    /** Supervised contrastive learning with two random views ({@code --method SupCon}). */
    SUPCON,
    /** Unsupervised contrastive learning with two random views, labels unused by the encoder ({@code SimCLR}). */
    SIMCLR,
    /**
     * ExCon: the first view is the Grad-CAM-masked standard view when the classifier still predicts the label on it,
     * else a backup random view ({@code Ex_SupCon}, {@code negative_pair=0}).
     */
    EXCON,
    /**
     * ExConB: ExCon plus the rejected masked images as extra background samples ({@code Ex_SupCon},
     * {@code negative_pair=1}); see {@link TrainConfig#backgroundAnchor()} for their role in the loss.
     */
    EXCONB;

    /** Whether the encoder step explains and masks images. */
    public boolean explains() {
        return this == EXCON || this == EXCONB;
    }

    /** Whether the encoder is trained with a contrastive loss (and the classifier separately on its features). */
    public boolean contrastive() {
        return this != CE;
    }

    /** Parses {@code ce}, {@code supcon}, {@code simclr}, {@code excon}, {@code exconb} (any case). */
    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.name().equalsIgnoreCase(name.replace("-", "").replace("_", ""))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; choose ce, supcon, simclr, excon or exconb");
    }
}
