package dev.excon.cli;

import dev.excon.train.TrainingData;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code RUN/data.sha256}: the SHA-256 of the training, validation and test parts a run was trained on. The
 * configuration names the data set but not its files, so without this a run could be resumed or evaluated on other
 * data (another {@code --data}, a different copy) and nothing would say so.
 */
final class DataFingerprint {

    static final String FILE = "data.sha256";

    private DataFingerprint() {}

    /** The parts' fingerprints, in the file's order. */
    static Map<String, String> of(TrainingData d) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train", d.train().fingerprint());
        m.put("validation", d.validation().fingerprint());
        m.put("test", d.test().fingerprint());
        return m;
    }

    /** Records the data of a new run; for an existing record, checks the data are the same. */
    static void recordOrCheck(Path runDir, TrainingData d) {
        Path file = runDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            check(runDir, d);
            return;
        }
        StringBuilder b = new StringBuilder("# SHA-256 of each part of the data this run was trained on "
                + "(ImageDataset.fingerprint()); excon train and excon evaluate check it\n");
        of(d).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Path tmp = runDir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(runDir);
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    /**
     * Checks the data against the run's record; a run without one (trained before it was written) is not checked.
     *
     * @return whether there was a record to check against
     * @throws IllegalStateException naming the part that differs and the fix
     */
    static boolean check(Path runDir, TrainingData d) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Properties recorded = new Properties();
        try {
            recorded.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage() + "; delete it to skip "
                    + "the check that the data are those the run was trained on");
        }
        for (Map.Entry<String, String> e : of(d).entrySet()) {
            String then = recorded.getProperty(e.getKey());
            if (then != null && !then.equals(e.getValue())) {
                throw new IllegalStateException("the " + e.getKey() + " images differ from those " + runDir
                        + " was trained on (SHA-256 " + e.getValue().substring(0, 12) + "... now, "
                        + then.substring(0, Math.min(12, then.length())) + "... in " + file + "): give --data the "
                        + "data root the run was trained with (or the data set's EXCON_* variable, README "
                        + "\"Environment variables\")");
            }
        }
        return true;
    }
}
