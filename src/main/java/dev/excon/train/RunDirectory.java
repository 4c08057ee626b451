package dev.excon.train;

import dev.excon.IoErrors;
import dev.excon.model.ExconNetwork;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's directory, updated as one unit: after a kill, an I/O error or a full disk at any point, the files
 * agree, or the next start repairs them and says what it did. {@link ExconTrainer#fit()} uses it; {@code excon
 * evaluate} repairs through it too.
 *
 * <p>The files: {@value #LAST} (the newest epoch, the run's source of truth: configuration, history, best epoch,
 * weights and optimiser state), {@value #PREVIOUS} (the epoch before it, a fall-back should {@value #LAST} be
 * damaged), {@value #BEST} (the best validation epoch), {@value #HISTORY}, {@value #CONFIG}, {@value
 * DataFingerprint#FILE} and {@value #LOCK} (held while a trainer runs, so a second one is refused).
 *
 * <p>An epoch ends in this order: the new checkpoint is written whole to {@code last.ckpt.tmp} and flushed to disk;
 * the current {@value #LAST} becomes {@value #PREVIOUS} (a hard link, no copy); the new file is renamed over
 * {@value #LAST} (the commit); a best epoch is linked as {@value #BEST}; {@value #HISTORY} is replaced. Every file is
 * replaced by a rename, never written in place, so each one is always whole. A start ({@link #recover}) removes
 * temporaries a kill left, resumes from the newest intact checkpoint, and rewrites whatever lags behind it.
 */
public final class RunDirectory implements AutoCloseable {

    /** The configuration as text (informative: the checkpoints carry their own). */
    public static final String CONFIG = "config.properties";
    /** One CSV line per completed epoch. */
    public static final String HISTORY = "history.csv";
    /** The newest completed epoch. */
    public static final String LAST = "last.ckpt";
    /** The epoch before {@link #LAST}. */
    public static final String PREVIOUS = "previous.ckpt";
    /** The epoch with the best validation accuracy. */
    public static final String BEST = "best.ckpt";
    /** Locked while a trainer runs; holds its process id. */
    public static final String LOCK = "train.lock";

    private static final List<String> WRITTEN = List.of(LAST, PREVIOUS, BEST, HISTORY, CONFIG, DataFingerprint.FILE);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens a run directory for training (created if needed) and takes its lock until {@link #close()}.
     *
     * @throws RunDirectoryException.Locked if another trainer (another process, or another thread here) holds it
     * @throws RunDirectoryException if the path is a file or cannot be created or written; the message says why
     */
    public static RunDirectory open(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RunDirectoryException(dir + " is a file, not a run directory: give a directory (a new one, or "
                    + "the one a run was trained into)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RunDirectoryException("cannot create the run directory " + dir + ": "
                    + IoErrors.explain(e, dir.getParent() != null ? dir.getParent() : dir), e);
        }
        Path lockFile = dir.resolve(LOCK);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RunDirectoryException("cannot use the run directory " + dir + ": " + IoErrors.explain(e, dir),
                    e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new RunDirectoryException.Locked(dir + " is being trained by another trainer in this process (a "
                    + "notebook cell or thread whose fit() has not returned): wait for it, or train into another "
                    + "directory");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RunDirectoryException("cannot lock " + lockFile + ": " + IoErrors.explain(e, dir), e);
        }
        if (lock == null) {
            String holder = holder(channel);
            closeQuietly(channel);
            throw new RunDirectoryException.Locked(dir + " is being trained by another process (" + holder + "); a "
                    + "second run into it would overwrite its checkpoints. Wait for it to finish, stop it, or train "
                    + "into another directory");
        }
        try {
            byte[] me = ("pid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant.now()
                    .truncatedTo(ChronoUnit.SECONDS) + "\ncommand=" + ManagementFactory.getRuntimeMXBean().getName()
                    + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me), 0);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RunDirectoryException("cannot write " + lockFile + ": " + IoErrors.explain(e, dir), e);
        }
        PausePoints.reach("locked");
        return new RunDirectory(dir, channel, lock);
    }

    /** Who holds the lock, from what the holder wrote into the lock file. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(512);
            channel.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            String pid = null;
            String started = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("pid=")) {
                    pid = line.substring(4);
                } else if (line.startsWith("started=")) {
                    started = line.substring(8);
                }
            }
            return pid == null ? "its process id is not written yet" : "PID " + pid
                    + (started != null ? ", since " + started : "");
        } catch (IOException e) {
            return "its process id cannot be read: " + IoErrors.describe(e);
        }
    }

    /** The directory (absolute). */
    public Path path() {
        return dir;
    }

    /**
     * What a start found: the checkpoint to resume from (none for a new run), and what was repaired.
     *
     * @param state the resumed checkpoint's configuration, epoch, best epoch and history; null for a new run
     * @param checkpoint the file to load the weights from ({@value #LAST}); null for a new run
     * @param notes what the start repaired, one sentence each; empty when the directory was in order
     */
    public record Recovery(Checkpoint.State state, Path checkpoint, List<String> notes) {

        /** The last completed epoch, 0 for a new run. */
        public int epoch() {
            return state == null ? 0 : state.epoch();
        }
    }

    /** A checkpoint file as found: its state when intact, else what is wrong with it. */
    private record Found(String name, Path file, Checkpoint.State state, String problem) {
        boolean intact() {
            return state != null;
        }
    }

    /**
     * Brings the directory into a consistent state before a run continues, or refuses without changing anything.
     * Checks (nothing changed yet): every intact checkpoint has {@code config}, the data match {@value
     * DataFingerprint#FILE} when there is an epoch to resume, and a directory with traces of a run has at least one
     * intact checkpoint. Then repairs: removes temporaries a kill left; moves damaged checkpoints aside ({@code
     * NAME.damaged}); makes {@value #LAST} the newest intact checkpoint (of {@value #LAST}, {@value #PREVIOUS},
     * {@value #BEST}); makes {@value #BEST} the checkpoint of the best epoch and {@value #HISTORY} the checkpoint's
     * history.
     *
     * @param config the configuration to resume, or null to accept the checkpoints' own (evaluation)
     * @param data the data's fingerprints ({@link DataFingerprint#of}), or null not to check them
     * @throws RunDirectoryException naming the difference or the damage and the fix; the directory is unchanged
     */
    public Recovery recover(TrainConfig config, Map<String, String> data) {
        Map<String, Found> found = new LinkedHashMap<>();
        for (String name : List.of(LAST, PREVIOUS, BEST)) {
            Found f = inspect(name);
            if (f != null) {
                found.put(name, f);
            }
        }
        Found newest = null;
        for (Found f : found.values()) {
            if (f.intact() && (newest == null || f.state().epoch() > newest.state().epoch())) {
                newest = f;
            }
        }
        TrainConfig expected = config != null ? config : newest != null ? newest.state().config() : null;
        for (Found f : found.values()) {
            if (f.intact() && !f.state().config().equals(expected)) {
                String diff = f.state().config().differences(expected, "there", config != null ? "now" : "in "
                        + newest.name());
                throw new RunDirectoryException(dir + " holds a run of another configuration (" + f.name() + ": "
                        + diff + "). Resume it with the same values, or train into another directory; nothing was "
                        + "changed");
            }
        }
        if (data != null && newest != null) {
            DataFingerprint.check(dir, data); // a new run replaces the record of a start that saved no epoch
        }
        List<String> notes = new ArrayList<>();
        if (newest == null) {
            List<String> traces = new ArrayList<>();
            for (Found f : found.values()) {
                traces.add(f.problem());
            }
            int logged = historyEpochs();
            if (logged > 0) {
                traces.add(HISTORY + " lists " + logged + " epoch" + (logged == 1 ? "" : "s"));
            }
            if (!traces.isEmpty()) {
                throw new RunDirectoryException(dir + " holds a run but no intact checkpoint to resume it from: "
                        + String.join("; ", traces) + ". Nothing was changed. To resume, put an intact copy of a "
                        + "checkpoint back as " + LAST + "; to start over, train into another directory (or move "
                        + "this one aside first: mv " + dir + " " + dir + ".old)");
            }
        }
        try {
            removeTemporaries(notes);
            if (newest == null) {
                return new Recovery(null, null, notes);
            }
            for (Found f : found.values()) {
                if (!f.intact()) {
                    Path aside = f.file().resolveSibling(f.name() + ".damaged");
                    move(f.file(), aside);
                    notes.add(f.problem() + ": moved aside to " + aside.getFileName() + " (kept for inspection)");
                }
            }
            Checkpoint.State state = newest.state();
            if (!newest.name().equals(LAST)) {
                Found last = found.get(LAST);
                replace(newest.file(), LAST, null);
                notes.add(LAST + " was " + (last == null ? "missing" : last.intact() ? "at epoch "
                        + last.state().epoch() : "damaged") + ": restored from " + newest.name() + " (epoch "
                        + state.epoch() + "), training resumes after it");
            }
            repairBest(state.bestEpoch(), found, newest, notes);
            String want = historyText(state.history());
            String have = readIfPresent(HISTORY);
            if (!want.equals(have)) {
                writeText(HISTORY, want, null);
                notes.add(HISTORY + (have == null ? " was missing" : " did not match " + LAST + " (it listed "
                        + historyEpochs(have) + " epochs, the checkpoint " + state.history().size() + ")")
                        + ": rewritten from " + LAST);
            }
            return new Recovery(state, dir.resolve(LAST), notes);
        } catch (IOException e) {
            throw new RunDirectoryException("cannot repair " + dir + ": " + IoErrors.explain(e, dir) + ". Whole "
                    + "files were only renamed or linked, never overwritten: run the same command again once that is "
                    + "fixed", e);
        }
    }

    /** {@value #BEST} must hold the best epoch: relink it from a checkpoint of that epoch when it does not. */
    private void repairBest(int bestEpoch, Map<String, Found> found, Found newest, List<String> notes)
            throws IOException {
        Found best = found.get(BEST);
        if (best != null && best.intact() && best.state().epoch() == bestEpoch) {
            return;
        }
        String was = best == null ? "missing" : !best.intact() ? "damaged" : "at epoch " + best.state().epoch();
        Path source = null;
        String sourceName = null;
        if (newest.state().epoch() == bestEpoch) {
            source = dir.resolve(LAST); // the newest, now also last.ckpt
            sourceName = LAST;
        } else {
            Found previous = found.get(PREVIOUS);
            if (previous != null && previous.intact() && previous.state().epoch() == bestEpoch
                    && previous != newest) {
                source = previous.file();
                sourceName = PREVIOUS;
            }
        }
        if (source != null) {
            replace(source, BEST, null);
            notes.add(BEST + " was " + was + ", but the best epoch is " + bestEpoch + ": linked to " + sourceName
                    + ", which holds it");
            return;
        }
        if (best != null && best.intact()) {
            Path aside = best.file().resolveSibling(BEST + ".stale");
            move(best.file(), aside);
            was += ", moved aside to " + aside.getFileName();
        }
        notes.add(BEST + " was " + was + ", and no intact checkpoint of the best epoch " + bestEpoch + " remains: "
                + "it is written again when a later epoch beats that epoch's validation accuracy (excon evaluate "
                + "uses " + LAST + " meanwhile)");
    }

    private Found inspect(String name) {
        Path f = dir.resolve(name);
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            return new Found(name, f, Checkpoint.check(f), null);
        } catch (Checkpoint.CheckpointException e) {
            if (e.getCause() instanceof IOException io && !(io instanceof EOFException)) {
                throw new RunDirectoryException(e.getMessage() + ". Nothing was changed; fix that and run the same "
                        + "command again", e);
            }
            return new Found(name, f, null, e.getMessage());
        }
    }

    /** Writes {@value #CONFIG} when it is missing or says something else; returns a note when it said otherwise. */
    public String writeConfig(TrainConfig config) {
        String want = config.toPropertiesText();
        String have;
        try {
            have = readIfPresent(CONFIG);
            if (want.equals(have)) {
                return null;
            }
            writeText(CONFIG, want, "config.properties");
        } catch (IOException e) {
            removeTemporariesQuietly();
            throw new RunDirectoryException("cannot write " + dir.resolve(CONFIG) + ": " + IoErrors.explain(e, dir)
                    + ". Nothing was lost; run the same command again once that is fixed", e);
        }
        return have == null ? null : CONFIG + " said something else than the run's configuration: rewritten";
    }

    /** Records the data's fingerprints in {@value DataFingerprint#FILE} (after {@link #recover} checked them). */
    public void recordData(Map<String, String> data) {
        String want = DataFingerprint.text(data);
        try {
            if (want.equals(readIfPresent(DataFingerprint.FILE))) {
                return;
            }
            writeText(DataFingerprint.FILE, want, "data.sha256");
        } catch (IOException e) {
            removeTemporariesQuietly();
            throw new RunDirectoryException("cannot write " + dir.resolve(DataFingerprint.FILE) + ": "
                    + IoErrors.explain(e, dir) + ". Nothing was lost; run the same command again once that is fixed",
                    e);
        }
    }

    /**
     * Saves a completed epoch: {@value #LAST} (the previous one kept as {@value #PREVIOUS}), {@value #BEST} when
     * {@code best}, and {@value #HISTORY}, in the order the class comment gives.
     *
     * @throws RunDirectoryException naming the cause (no space, read-only, permission) and what is kept on disk; no
     *     temporary file is left behind
     */
    public void commit(TrainConfig config, int epoch, int bestEpoch, List<EpochResult> history, boolean best,
            ExconNetwork net, Sgd encoder, Sgd classifier) {
        Path tmp = temporary(LAST);
        boolean committed = false;
        String doing = "writing " + tmp.getFileName();
        try {
            Checkpoint.write(tmp, config, epoch, bestEpoch, history, net, encoder, classifier,
                    "last.ckpt.tmp half-written");
            PausePoints.reach("last.ckpt.tmp written");
            force(tmp);
            if (Files.exists(dir.resolve(LAST))) {
                doing = "keeping " + LAST + " as " + PREVIOUS;
                replace(dir.resolve(LAST), PREVIOUS, "previous.ckpt");
            }
            doing = "renaming " + tmp.getFileName() + " to " + LAST;
            move(tmp, dir.resolve(LAST));
            committed = true;
            PausePoints.reach("last.ckpt renamed");
            if (best) {
                doing = "linking " + LAST + " as " + BEST;
                replace(dir.resolve(LAST), BEST, "best.ckpt");
            }
            doing = "writing " + HISTORY;
            writeText(HISTORY, historyText(history), "history.csv");
            PausePoints.reach("epoch saved");
        } catch (IOException e) {
            removeTemporariesQuietly();
            String fix = IoErrors.advice(e, dir);
            fix = fix.isEmpty() ? "Fix that" : fix.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                    + fix.substring(1);
            String kept = committed
                    ? "Epoch " + epoch + " is saved in " + LAST + "; the next start brings " + BEST + " and " + HISTORY
                            + " up to date from it. " + fix + ", then run the same command again."
                    : "Nothing was lost: " + onDisk() + ". " + fix + ", then run the same command again: training "
                            + "resumes from there.";
            throw new RunDirectoryException("cannot save epoch " + epoch + " in " + dir + ": " + IoErrors.describe(e)
                    + " (while " + doing + "). " + kept, e);
        }
    }

    /** What the committed checkpoints hold, for messages. */
    private String onDisk() {
        List<String> parts = new ArrayList<>();
        for (String name : List.of(LAST, BEST)) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                try {
                    parts.add(name + " holds epoch " + Checkpoint.peek(f).epoch());
                } catch (RuntimeException e) {
                    parts.add(name + " cannot be read (" + e.getMessage() + ")");
                }
            }
        }
        return parts.isEmpty() ? "no epoch had been saved yet" : String.join(", ", parts);
    }

    /** The CSV text of {@value #HISTORY}. */
    static String historyText(List<EpochResult> history) {
        StringBuilder csv = new StringBuilder(EpochResult.CSV_HEADER).append('\n');
        for (EpochResult e : history) {
            csv.append(e.toCsv()).append('\n');
        }
        return csv.toString();
    }

    private int historyEpochs() {
        try {
            String text = readIfPresent(HISTORY);
            return text == null ? 0 : historyEpochs(text);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int historyEpochs(String text) {
        return (int) Math.max(0, text.lines().filter(l -> !l.isBlank()).count() - 1);
    }

    private String readIfPresent(String name) throws IOException {
        Path f = dir.resolve(name);
        return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8) : null;
    }

    private Path temporary(String name) {
        return dir.resolve(name + ".tmp");
    }

    /** Writes {@code name} through its temporary, flushed to disk before the rename. */
    private void writeText(String name, String text, String pausePoint) throws IOException {
        Path tmp = temporary(name);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            int half = bytes.length / 2;
            out.write(bytes, 0, half);
            if (pausePoint != null && PausePoints.enabled()) {
                out.flush();
                PausePoints.reach(pausePoint + ".tmp half-written");
            }
            out.write(bytes, half, bytes.length - half);
        }
        force(tmp);
        move(tmp, dir.resolve(name));
        if (pausePoint != null) {
            PausePoints.reach(pausePoint + " renamed");
        }
    }

    /** Replaces {@code name} with a hard link to {@code source} (a flushed copy where links are not supported). */
    private void replace(Path source, String name, String pausePoint) throws IOException {
        Path target = dir.resolve(name);
        if (Files.exists(target) && Files.isSameFile(source, target)) {
            return; // already linked (a kill after this rename last time): rename(2) of a link onto itself is a no-op
        }
        Path tmp = temporary(name);
        Files.deleteIfExists(tmp);
        try {
            Files.createLink(tmp, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            force(tmp);
        }
        if (pausePoint != null) {
            PausePoints.reach(pausePoint + ".tmp linked");
        }
        move(tmp, target);
        if (pausePoint != null) {
            PausePoints.reach(pausePoint + " renamed");
        }
    }

    private void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Makes renames durable; file systems that cannot sync a directory are left as they are. */
    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here (e.g. some network file systems): the rename itself already happened
        }
    }

    private void removeTemporaries(List<String> notes) throws IOException {
        for (String name : WRITTEN) {
            Path tmp = temporary(name);
            if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                long size = Files.size(tmp);
                Files.delete(tmp);
                notes.add("removed " + tmp.getFileName() + " (" + size + " bytes), a write the last run did not "
                        + "finish");
            }
        }
    }

    private void removeTemporariesQuietly() {
        for (String name : WRITTEN) {
            try {
                Files.deleteIfExists(temporary(name));
            } catch (IOException e) {
                // the write already failed; that error is the one reported, and the next start removes it
            }
        }
    }

    /** Releases the lock (the lock file stays: removing it could let two trainers lock different files). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    @Override
    public String toString() {
        return "RunDirectory[" + dir + "]";
    }
}
