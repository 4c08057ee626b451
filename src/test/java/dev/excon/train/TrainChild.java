package dev.excon.train;

import ai.djl.Device;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny training run in a JVM of its own, for tests that kill it or starve it of disk: {@code TrainChild DIR
 * EPOCHS}. Prints the trainer's notes, then {@code done} or {@code error: MESSAGE} (exit status 1).
 */
public final class TrainChild {

    private TrainChild() {}

    /** The run every child trains: ExCon, explanations from epoch 1, on the quadrants fixture. */
    static TrainConfig config(int epochs) {
        return ExconTrainerTest.small(Method.EXCON, epochs);
    }

    public static void main(String[] args) {
        TrainConfig c = config(Integer.parseInt(args[1]));
        int status = 0;
        try (ExconTrainer t = ExconTrainer.create(c, ExconTrainerTest.quadrantData(c), Path.of(args[0]),
                Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onNote(String note) {
                    System.out.println("note: " + note);
                }
            });
            t.fit();
            System.out.println("done");
        } catch (RuntimeException e) {
            System.out.println("error: " + e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * The command that runs a child on this test JVM's class path, after {@code prefix} (e.g. {@code unshare ...}).
     *
     * @param pauseAt a {@code PausePoints} name ({@code POINT#N}), or null to run to the end
     */
    static List<String> command(List<String> prefix, Path dir, int epochs, String pauseAt) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(java(pauseAt));
        cmd.add(dir.toString());
        cmd.add(Integer.toString(epochs));
        return cmd;
    }

    /** The command without its two arguments (DIR EPOCHS), for scripts that add them. */
    static List<String> java(String pauseAt) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xss4m");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dai.djl.offline=true");
        if (pauseAt != null) {
            cmd.add("-Dexcon.pauseAt=" + pauseAt);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainChild.class.getName());
        return cmd;
    }

    /** Starts a child with its output (stdout and stderr together) readable from the process. */
    static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** The class path separator check: a surefire manifest-only jar would hide the test classes from a child. */
    static boolean classPathIsUsable() {
        return System.getProperty("java.class.path").split(File.pathSeparator).length > 1;
    }
}
