package dev.excon.eval.corruption;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The random-number stream of one image: fixed by the seed, the corruption's name and the image's index in its data
 * set, so results do not depend on batching, device or severity.
 */
final class NoiseStreams {

    private NoiseStreams() {}

    /** A fresh generator for image {@code index} of corruption {@code name} under {@code seed}. */
    static SplittableRandom forImage(long seed, String name, long index) {
        long h = 0x6A09E667F3BCC909L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = mix64(h ^ (b & 0xFF));
        }
        return new SplittableRandom(mix64(mix64(seed ^ h) + 0x9E3779B97F4A7C15L * (index + 1)));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: a bijective 64-bit mixer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
