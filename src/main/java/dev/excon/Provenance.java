package dev.excon;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What produced a result: configuration, seed, data set and its fingerprint, library, engine and device versions,
 * git revision and time. Tables, charts and checkpoints carry one so a reader can tell where each number came from.
 *
 * @param config the run's configuration as {@code key=value} text (or a short description)
 * @param seed the seed
 * @param dataset the data set's name
 * @param datasetFingerprint SHA-256 of the data set's shape, labels and pixels ({@code ImageDataset.fingerprint()})
 * @param library this library's version
 * @param engine engine name and version, e.g. {@code PyTorch 2.7.1}
 * @param djl DJL's version
 * @param device the device, e.g. {@code cpu()} or {@code gpu(0)}
 * @param gitRevision the working tree's git revision (with {@code -dirty} if modified), or {@code unknown}
 * @param created when the result was made (UTC)
 */
public record Provenance(
        String config,
        long seed,
        String dataset,
        String datasetFingerprint,
        String library,
        String engine,
        String djl,
        String device,
        String gitRevision,
        Instant created) {

    private static volatile String cachedRevision;

    /** A provenance record for the current process and the given run. */
    public static Provenance of(String config, long seed, String dataset, String fingerprint, String device) {
        Engine e = ExconRuntime.engine();
        return new Provenance(config, seed, dataset, fingerprint, libraryVersion(),
                e.getEngineName() + " " + e.getVersion(), Engine.getDjlVersion(), device, currentGitRevision(),
                Instant.now());
    }

    /**
     * This record with a {@code model=} line added to its configuration text, naming the model a result was computed
     * on (e.g. a user's network or a TorchScript file with its checksum); unchanged when the configuration already
     * names one.
     */
    public Provenance withModel(String model) {
        if (config.lines().anyMatch(l -> l.startsWith("model="))) {
            return this;
        }
        String text = config.isEmpty() || config.endsWith("\n") ? config : config + "\n";
        return new Provenance(text + "model=" + model + "\n", seed, dataset, datasetFingerprint, library, engine, djl,
                device, gitRevision, created);
    }

    /** This library's version, from the jar manifest or the build's properties, else {@code dev}. */
    public static String libraryVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    /** The git revision of the working directory (short hash, {@code -dirty} when modified), or {@code unknown}. */
    public static String currentGitRevision() {
        String r = cachedRevision;
        if (r == null) {
            String head = git("rev-parse", "--short=12", "HEAD");
            if (head == null) {
                r = "unknown";
            } else {
                String status = git("status", "--porcelain", "--untracked-files=no");
                r = status != null && !status.isBlank() ? head + "-dirty" : head;
            }
            cachedRevision = r;
        }
        return r;
    }

    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null; // no git on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The fields as an ordered map, for tables and reports. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("seed", Long.toString(seed));
        m.put("dataset", dataset);
        m.put("dataset sha256", datasetFingerprint);
        m.put("library", "excon " + library);
        m.put("engine", engine + " (DJL " + djl + ")");
        m.put("device", device);
        m.put("git", gitRevision);
        m.put("created", created.toString());
        return m;
    }

    /** One line for figure captions. */
    public String caption() {
        return "excon " + library + " @" + gitRevision + ", " + engine + " on " + device + ", " + dataset + " ("
                + datasetFingerprint.substring(0, Math.min(12, datasetFingerprint.length())) + "), seed " + seed;
    }
}
