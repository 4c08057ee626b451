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
     * ExCon: the first view is the explanation-masked standard view when the classifier still predicts the label on
     * it, else a backup random view ({@code Ex_SupCon}, {@code negative_pair=0}).
     */
    EXCON,
    /**
     * ExConB: ExCon plus the rejected masked images as extra background samples ({@code Ex_SupCon},
     * {@code negative_pair=1}); see {@link TrainConfig#backgroundAnchor()} for their role in the loss.
     */
    EXCONB,
    /**
     * ExCon's masked views with the SimCLR loss: labels choose the masks and decide acceptance, the encoder's loss
     * ignores them ({@code Ex_SimCLR}, {@code negative_pair=0}).
     */
    EXSIMCLR,
    /**
     * {@link #EXSIMCLR} plus the rejected masked images as background samples ({@code Ex_SimCLR}, {@code
     * negative_pair=1}): negatives only, or with {@link TrainConfig#backgroundAnchor()} each its own positive pair.
     */
    EXSIMCLRB;

    /** Whether the encoder step explains and masks images. */
    public boolean explains() {
        return this == EXCON || this == EXCONB || this == EXSIMCLR || this == EXSIMCLRB;
    }

    /** Whether rejected masked images join the batch as background samples (the reference's negative_pair=1). */
    public boolean addsBackground() {
        return this == EXCONB || this == EXSIMCLRB;
    }

    /** Whether the encoder's contrastive loss uses the labels (SupCon) or not (SimCLR). */
    public boolean supervisedLoss() {
        return this == SUPCON || this == EXCON || this == EXCONB;
    }

    /** Whether the encoder is trained with a contrastive loss (and the classifier separately on its features). */
    public boolean contrastive() {
        return this != CE;
    }

    /** The reference's {@code --method} and {@code --negative_pair} for this method. */
    public String referenceFlags() {
        return switch (this) {
            case CE -> "main_ce.py";
            case SUPCON -> "--method=SupCon";
            case SIMCLR -> "--method=SimCLR";
            case EXCON -> "--method=Ex_SupCon --negative_pair=0";
            case EXCONB -> "--method=Ex_SupCon --negative_pair=1";
            case EXSIMCLR -> "--method=Ex_SimCLR --negative_pair=0";
            case EXSIMCLRB -> "--method=Ex_SimCLR --negative_pair=1";
        };
    }

    /**
     * Parses {@code ce}, {@code supcon}, {@code simclr}, {@code excon}, {@code exconb}, {@code exsimclr}, {@code
     * exsimclrb} (any case, {@code -} and {@code _} ignored, so {@code Ex_SimCLR} works too).
     */
    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.name().equalsIgnoreCase(name.replace("-", "").replace("_", ""))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name
                + "'; choose ce, supcon, simclr, excon, exconb, exsimclr or exsimclrb");
    }
}
