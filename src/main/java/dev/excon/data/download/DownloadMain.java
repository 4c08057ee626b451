package dev.excon.data.download;

import dev.excon.data.DataPaths;
import dev.excon.data.DatasetException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Command line: {@code java -cp ... dev.excon.data.download.DownloadMain cifar100 [--data DIR] [--mirror URL]}.
 * Downloads, verifies and unpacks one data set, printing progress to stderr and the data set's directory to stdout.
 * Exit status: 0 done, 1 failed (the message says why and what to do), 2 bad arguments.
 */
public final class DownloadMain {

    private static final long MIB = 1L << 20;

    private DownloadMain() {}

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command without exiting.
     *
     * @return 0 on success, 1 if the download failed, 2 on bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String dataset = null;
        Path dataRoot = null;
        URI mirror = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.print(usage());
                    return 0;
                }
                case "--data", "--mirror" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        return usageError(err, a + " needs a value");
                    }
                    String value = args[++i];
                    if (a.equals("--data")) {
                        dataRoot = Path.of(value);
                    } else {
                        try {
                            mirror = URI.create(value);
                        } catch (IllegalArgumentException e) {
                            return usageError(err, "--mirror: not a URL: " + value);
                        }
                        if (!mirror.isAbsolute()) {
                            return usageError(err, "--mirror needs an absolute URL such as http://host/path/, received "
                                    + value);
                        }
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        return usageError(err, "unknown option " + a);
                    }
                    if (dataset != null) {
                        return usageError(err, "one data set at a time, received " + dataset + " and " + a);
                    }
                    dataset = a;
                }
            }
        }
        if (dataset == null) {
            return usageError(err, "which data set?");
        }
        Optional<DatasetSource> source = DatasetSource.byName(dataset);
        if (source.isEmpty()) {
            return usageError(err, "unknown data set " + dataset);
        }
        Downloader.Builder builder = Downloader.builder().optProgressListener(new Printer(err));
        if (dataRoot != null) {
            builder.optDataRoot(dataRoot);
        }
        if (mirror != null) {
            builder.optMirror(mirror);
        }
        try {
            Path dir = builder.build().fetch(source.get());
            out.println(dir.toAbsolutePath().normalize());
            return 0;
        } catch (DatasetException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int usageError(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.print(usage());
        return 2;
    }

    /** The usage text, listing the known data sets. */
    static String usage() {
        StringBuilder s = new StringBuilder();
        s.append("Usage: java -cp <classpath> dev.excon.data.download.DownloadMain DATASET [--data DIR]")
                .append(" [--mirror URL]\n\n");
        s.append("Downloads DATASET's archive (resuming an interrupted download), checks its published checksum and\n")
                .append("unpacks it under the data root. Does nothing if the data set is already there.\n\n");
        s.append("DATASET is one of:\n");
        for (DatasetSource d : DatasetSource.known()) {
            s.append(String.format(Locale.ROOT, "  %-14s -> DIR/%s  (%s)%n", d.name(), d.directory(), d.url()));
        }
        s.append("\nOptions:\n");
        s.append("  --data DIR     the data root (default: -Dexcon.data, else EXCON_DATA, else ./data; now ")
                .append(DataPaths.dataRoot()).append(")\n");
        s.append("  --mirror URL   download URL/<archive file name> instead of the official address\n");
        s.append("  -h, --help     this text\n");
        return s.toString();
    }

    /** Prints steps, and progress every 5 % (or every 16 MiB when the size is unknown). */
    private static final class Printer implements ProgressListener {
        private final PrintStream err;
        private long lastMark = -1;

        Printer(PrintStream err) {
            this.err = err;
        }

        @Override
        public synchronized void onProgress(long bytesDone, long bytesTotal) {
            long mark = bytesTotal > 0 ? bytesDone * 20 / bytesTotal : bytesDone / (16 * MIB);
            if (mark == lastMark) {
                return;
            }
            lastMark = mark;
            if (bytesTotal > 0) {
                err.printf(Locale.ROOT, "  %3d%%  %,.1f of %,.1f MiB%n", bytesDone * 100 / bytesTotal,
                        bytesDone / (double) MIB, bytesTotal / (double) MIB);
            } else {
                err.printf(Locale.ROOT, "  %,.1f MiB%n", bytesDone / (double) MIB);
            }
        }

        @Override
        public synchronized void onStep(String message) {
            lastMark = -1;
            err.println(message);
        }
    }
}
