package dev.excon.train;

/**
 * What one joint epoch produced.
 *
 * @param epoch 1-based epoch
 * @param encoderLoss mean encoder loss
 * @param classifierLoss mean linear-classifier loss over the epoch's steps; with {@code probeEpochs > 0} the fitted
 *     classifier's mean cross-entropy on the un-augmented training features (NaN for CE, whose classifier trains with
 *     the encoder)
 * @param validationAccuracy top-1 on the held-out validation split (model selection uses this); NaN without a
 *     validation split ({@code validationFraction=0})
 * @param testAccuracy top-1 on the test set (reported only, used for selection only without a validation split, as
 *     the reference does)
 * @param acceptanceRate share of accepted masked views over the epoch (NaN when no explanations were used)
 * @param backgroundSamples background samples added over the epoch (ExConB)
 * @param learningRate the encoder's rate at the epoch's last step
 * @param seconds wall time of the epoch, evaluation included
 * @param best whether this epoch has the best selection accuracy so far (its checkpoint is {@code best.ckpt})
 */
public record EpochResult(int epoch, double encoderLoss, double classifierLoss, double validationAccuracy,
        double testAccuracy, double acceptanceRate, long backgroundSamples, float learningRate, double seconds,
        boolean best) {

    /** The accuracy model selection uses: validation, or test when there is no validation split (NaN validation). */
    public double selectionAccuracy() {
        return Double.isNaN(validationAccuracy) ? testAccuracy : validationAccuracy;
    }

    /** Column names of {@link #toCsv()}. */
    public static final String CSV_HEADER = "epoch,encoder_loss,classifier_loss,val_acc,test_acc,acceptance_rate,"
            + "background_samples,lr,seconds,best";

    /** One CSV line. */
    public String toCsv() {
        return epoch + "," + encoderLoss + "," + classifierLoss + "," + validationAccuracy + "," + testAccuracy + ","
                + acceptanceRate + "," + backgroundSamples + "," + learningRate + "," + seconds + "," + best;
    }

    /** Parses {@link #toCsv()}. */
    public static EpochResult fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 10) {
            throw new IllegalArgumentException("history line has " + f.length + " fields, expected 10: " + line);
        }
        return new EpochResult(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]),
                Float.parseFloat(f[7]), Double.parseDouble(f[8]), Boolean.parseBoolean(f[9]));
    }
}
