package dev.excon.train;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code RUN/data.sha256}: the SHA-256 of the training, validation and test parts a run was trained on. The
 * configuration names the data set but not its files, so without this a run could be resumed or evaluated on other
 * data (another data root, a different copy) and nothing would say so. {@link ExconTrainer#fit()} records it when a
 * run starts and checks it when one resumes; {@code excon evaluate} checks it.
 */
public final class DataFingerprint {

    /** The file's name in a run directory. */
    public static final String FILE = "data.sha256";

    private DataFingerprint() {}

    /** The parts' fingerprints, in the file's order. */
    public static Map<String, String> of(TrainingData d) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train", d.train().fingerprint());
        m.put("validation", d.validation().fingerprint());
        m.put("test", d.test().fingerprint());
        return m;
    }

    /** The file's text for {@code parts}. */
    static String text(Map<String, String> parts) {
        StringBuilder b = new StringBuilder("# SHA-256 of each part of the data this run was trained on "
                + "(ImageDataset.fingerprint()); excon train and excon evaluate check it\n");
        parts.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /**
     * Checks the data against the run's record; a run without one (trained before it was written) is not checked.
     *
     * @return whether there was a record to check against
     * @throws RunDirectoryException naming the part that differs and the fix
     */
    public static boolean check(Path runDir, TrainingData d) {
        return check(runDir, of(d));
    }

    static boolean check(Path runDir, Map<String, String> now) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Properties recorded = new Properties();
        try {
            recorded.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new RunDirectoryException("cannot read " + file + ": " + (e instanceof IOException io
                    ? dev.excon.IoErrors.describe(io) : e.getMessage()) + "; restore it, or delete it to skip the "
                    + "check that the data are those the run was trained on");
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            String then = recorded.getProperty(e.getKey());
            if (then != null && !then.equals(e.getValue())) {
                throw new RunDirectoryException("the " + e.getKey() + " images differ from those " + runDir
                        + " was trained on (SHA-256 " + e.getValue().substring(0, 12) + "... now, "
                        + then.substring(0, Math.min(12, then.length())) + "... in " + file + "): load the data the "
                        + "run was trained with (excon: --data DIR, or the data set's EXCON_* variable, README "
                        + "\"Environment variables\"); nothing in the run directory was changed");
            }
        }
        return true;
    }
}
