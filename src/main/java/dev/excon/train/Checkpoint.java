package dev.excon.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.excon.model.ExconNetwork;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A training checkpoint: configuration, completed epoch, history, every network parameter and batch-norm statistic,
 * and both optimisers' momentum buffers, so that a resumed run continues exactly. Written to a temporary file, flushed
 * to disk and renamed over the old one, so a kill mid-write leaves the previous checkpoint intact; a CRC-32 at the
 * end detects truncated or damaged files.
 */
public final class Checkpoint {

    private static final String MAGIC = "EXCON-CHECKPOINT";
    private static final int VERSION = 1;

    private Checkpoint() {}

    /**
     * The state read back from a checkpoint file; the network and optimisers are restored in place by {@link #load}.
     *
     * @param config the configuration the checkpoint was written with
     * @param epoch the last completed epoch
     * @param bestEpoch the best epoch so far
     * @param history the epochs completed so far
     */
    public record State(TrainConfig config, int epoch, int bestEpoch, List<EpochResult> history) {}

    /**
     * Writes a checkpoint atomically to {@code file} (a temporary sibling, flushed to disk, renamed over it). A run
     * directory writes its checkpoints through {@link RunDirectory}, which also keeps the previous and best ones.
     */
    public static void save(Path file, TrainConfig config, int epoch, int bestEpoch, List<EpochResult> history,
            ExconNetwork net, Sgd encoder, Sgd classifier) throws IOException {
        Path tmp = dev.excon.AtomicFiles.temporaryFor(file);
        Files.createDirectories(tmp.getParent());
        try {
            write(tmp, config, epoch, bestEpoch, history, net, encoder, classifier, null);
            dev.excon.AtomicFiles.moveIntoPlace(tmp, file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Writes a whole checkpoint to {@code file} (created or truncated; not flushed to disk, not renamed).
     *
     * @param pausePoint the {@link PausePoints} name of the moment half of it is written, or null
     */
    static void write(Path file, TrainConfig config, int epoch, int bestEpoch, List<EpochResult> history,
            ExconNetwork net, Sgd encoder, Sgd classifier, String pausePoint) throws IOException {
        CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 20), crc);
                DataOutputStream out = new DataOutputStream(checked)) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            writeBytes(out, config.toPropertiesText().getBytes(StandardCharsets.UTF_8));
            out.writeInt(epoch);
            out.writeInt(bestEpoch);
            out.writeInt(history.size());
            for (EpochResult e : history) {
                out.writeUTF(e.toCsv());
            }
            net.saveParameters(out);
            if (pausePoint != null && PausePoints.enabled()) {
                out.flush(); // the part written so far reaches the file, as when a kill lands mid-write
                PausePoints.reach(pausePoint);
            }
            writeOptimiser(out, encoder);
            writeOptimiser(out, classifier);
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        }
    }

    private static void writeOptimiser(DataOutputStream out, Sgd sgd) throws IOException {
        out.writeBoolean(sgd != null);
        if (sgd != null) {
            out.writeLong(sgd.steps());
            writeBytes(out, sgd.state().encode());
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads only the configuration, epoch and history (no network needed), e.g. to decide whether to resume. */
    public static State peek(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return readHeader(file, in);
        } catch (EOFException e) {
            throw truncated(file, e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + dev.excon.IoErrors.describe(e), e);
        }
    }

    /**
     * Verifies the checksum of the whole file, then reads its configuration, epoch and history (no network needed).
     *
     * @throws CheckpointException if the file is unreadable, truncated, damaged or not a checkpoint
     */
    public static State check(Path file) {
        verify(file);
        return peek(file);
    }

    /**
     * Verifies the checksum of {@code file}, then restores the network and optimisers in place.
     *
     * @throws CheckpointException if the file is truncated, damaged or written for another network
     */
    public static State load(Path file, ExconNetwork net, Sgd encoder, Sgd classifier) {
        verify(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            State state = readHeader(file, in);
            net.loadParameters(in);
            readOptimiser(file, in, encoder, net.manager());
            readOptimiser(file, in, classifier, net.manager());
            return state;
        } catch (EOFException e) {
            throw truncated(file, e);
        } catch (IOException | MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new CheckpointException("checkpoint " + file + " does not fit this network (" + net + "): "
                    + e.getMessage() + "; it was written for another configuration, start a new run directory", e);
        }
    }

    private static void verify(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + dev.excon.IoErrors.describe(e), e);
        }
        if (size < 8) {
            throw truncated(file, null);
        }
        CRC32 crc = new CRC32();
        long stored;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
                CheckedInputStream in = new CheckedInputStream(raw, crc)) {
            byte[] buf = new byte[1 << 16];
            long left = size - 8;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw truncated(file, null);
                }
                left -= n;
            }
            stored = new DataInputStream(raw).readLong();
        } catch (EOFException e) {
            throw truncated(file, e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + dev.excon.IoErrors.describe(e), e);
        }
        if (stored != crc.getValue()) {
            throw new CheckpointException("checkpoint " + file + " is damaged or cut short (" + size + " bytes, "
                    + "checksum mismatch): it changed after it was written (a disk or copy error)");
        }
    }

    private static State readHeader(Path file, DataInputStream in) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            magic = "";
        }
        if (!MAGIC.equals(magic)) {
            throw new CheckpointException(file + " is not an ExCon checkpoint (no " + MAGIC + " header)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new CheckpointException(
                    file + " is checkpoint format " + version + "; this version of ExCon reads format " + VERSION);
        }
        byte[] cfg = new byte[in.readInt()];
        in.readFully(cfg);
        TrainConfig config = TrainConfig.fromPropertiesText(new String(cfg, StandardCharsets.UTF_8));
        int epoch = in.readInt();
        int best = in.readInt();
        int n = in.readInt();
        List<EpochResult> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            history.add(EpochResult.fromCsv(in.readUTF()));
        }
        return new State(config, epoch, best, history);
    }

    private static void readOptimiser(Path file, DataInputStream in, Sgd sgd, NDManager manager) throws IOException {
        boolean present = in.readBoolean();
        if (present != (sgd != null)) {
            throw new CheckpointException("checkpoint " + file + " was written by another method (optimiser "
                    + (present ? "present" : "missing") + ")");
        }
        if (!present) {
            return;
        }
        long steps = in.readLong();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (NDManager scope = manager.newSubManager()) {
            sgd.restore(NDList.decode(scope, bytes), steps);
        }
    }

    private static CheckpointException truncated(Path file, Throwable cause) {
        return new CheckpointException("checkpoint " + file + " is truncated: it ends early (cut short by a copy "
                + "or a full disk)", cause);
    }

    /** A checkpoint could not be read or does not fit; the message says which file and what to do. */
    public static class CheckpointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckpointException(String message) {
            super(message);
        }

        CheckpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
