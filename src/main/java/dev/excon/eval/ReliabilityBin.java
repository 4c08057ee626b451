package dev.excon.eval;

/**
 * One bin of a reliability diagram: the samples whose top-label confidence falls in it, their mean confidence and
 * their accuracy.
 *
 * @param lower the bin's lower edge (equal-width bins, {@link BinEdges#RIGHT_CLOSED}: {@code b / B}, open, except
 *     the first bin's 0, which is closed; {@link BinEdges#NETCAL}: {@code b * (1 / B)}, closed; equal-mass bins: the
 *     smallest confidence in the bin, closed)
 * @param upper the bin's upper edge (equal-width, RIGHT_CLOSED: {@code (b + 1) / B}, closed; NETCAL: {@code (b + 1)
 *     * (1 / B)}, open, except the last bin's 1, which is closed; equal-mass: the largest confidence in the bin,
 *     closed)
 * @param count the number of samples in the bin
 * @param meanConfidence their mean top-label confidence (after NETCAL's clipping); NaN for an empty bin
 * @param accuracy the share of them whose prediction is right; NaN for an empty bin
 */
public record ReliabilityBin(double lower, double upper, long count, double meanConfidence, double accuracy) {

    /** {@code accuracy - meanConfidence}: negative when over-confident; NaN for an empty bin. */
    public double gap() {
        return accuracy - meanConfidence;
    }

    /** Whether no sample fell in this bin. */
    public boolean isEmpty() {
        return count == 0;
    }
}
