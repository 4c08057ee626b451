package dev.excon.eval.corruption;

import dev.excon.data.Cifar100C;
import dev.excon.data.ImageDataset;
import java.nio.file.Path;
import java.util.List;

/**
 * Where corrupted test sets come from, one interface for both sources so an evaluation can loop over corruptions and
 * severities without caring: the CIFAR-C-like suite generated here from a clean test set ({@link #generated}), or the
 * official CIFAR-100-C files when they are present ({@link #official}).
 */
public interface CorruptionSuite {

    /** A short description for tables, e.g. {@code "CIFAR-C-like (generated, seed 42) from cifar100/test"}. */
    String description();

    /** The corruption names, in table order. */
    List<String> corruptions();

    /** The number of severities (5). */
    default int severities() {
        return Corruptions.SEVERITIES;
    }

    /**
     * The test set under one corruption at one severity (1-5).
     *
     * @throws IllegalArgumentException if the corruption or severity is unknown
     */
    ImageDataset load(String corruption, int severity);

    /**
     * The eleven CIFAR-C-like corruptions of {@link Corruptions#all()} applied to {@code clean} with a seed; each
     * call of {@link #load} generates the set anew (measured on 2 cores per 10,000 CIFAR images: from 0.2 s for
     * contrast to about 3 s for the host-drawn noises and 5 s for JPEG).
     */
    static CorruptionSuite generated(ImageDataset clean, long seed) {
        return new CorruptionSuite() {
            @Override
            public String description() {
                return "CIFAR-C-like (generated, seed " + seed + ") from " + clean.name();
            }

            @Override
            public List<String> corruptions() {
                return Corruptions.names();
            }

            @Override
            public ImageDataset load(String corruption, int severity) {
                return Corruptions.corrupt(clean, Corruptions.byName(corruption), severity, seed);
            }

            @Override
            public String toString() {
                return "CorruptionSuite[" + description() + "]";
            }
        };
    }

    /**
     * The official CIFAR-100-C files in {@code dir} (read by {@link Cifar100C}): every corruption present there,
     * data sets named {@code cifar100-c/<corruption>/<severity>}.
     *
     * @throws dev.excon.data.DatasetException if the directory is missing (the message says how to get the files)
     */
    static CorruptionSuite official(Path dir) {
        List<String> names = Cifar100C.corruptions(dir);
        return new CorruptionSuite() {
            @Override
            public String description() {
                return "CIFAR-100-C (official files in " + dir + ")";
            }

            @Override
            public List<String> corruptions() {
                return names;
            }

            @Override
            public ImageDataset load(String corruption, int severity) {
                AbstractCorruption.checkSeverity(severity);
                if (!names.contains(corruption)) {
                    throw new IllegalArgumentException("no corruption '" + corruption + "' in " + dir + "; present: "
                            + String.join(", ", names));
                }
                return Cifar100C.load(dir, corruption, severity);
            }

            @Override
            public String toString() {
                return "CorruptionSuite[" + description() + "]";
            }
        };
    }
}
