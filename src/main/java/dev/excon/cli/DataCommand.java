package dev.excon.cli;

import dev.excon.ExconRuntime;
import dev.excon.data.DataPaths;
import dev.excon.data.DatasetException;
import dev.excon.data.verify.DataVerifier;
import dev.excon.data.verify.KnownDataset;
import dev.excon.data.verify.Verification;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code excon data}: the data sets on this machine. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "The data sets on this machine: check them against their publishers' checksums.",
        subcommands = DataCommand.Verify.class)
final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: verify");
    }

    /** {@code excon data verify [DATASET]}. */
    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Check a data set's files against the checksums its publisher gives (every file hashed "
                + "again, the cached result refreshed). Without DATASET, every data set present is checked.",
                "Fashion-MNIST: the published MD5 of each .gz file. CIFAR-10/100, Tiny ImageNet, CIFAR-100-C: the "
                + "publishers give a checksum for the archive only, so the files are checked against the SHA-256 "
                + "manifest make download writes after checking the archive, or against the archive itself when "
                + "it is in DATA/.downloads; otherwise the data set is reported as not verifiable, with how to "
                + "verify it.",
                "Exit status: 0 every data set checked is verified, 1 one failed or could not be verified, 2 bad "
                + "arguments.",
                "Example: excon data verify cifar100 --data /data"})
    static final class Verify implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
                description = "fashion-mnist, cifar10, cifar100, tiny-imagenet or cifar100-c (default: all present)")
        String dataset;

        @Option(names = "--data", paramLabel = "DIR", description = "the data root (default: EXCON_DATA or ./data)")
        Path data;

        @Override
        public Integer call() {
            ExconRuntime.init();
            List<KnownDataset> which = dataset == null ? Arrays.asList(KnownDataset.values())
                    : List.of(KnownDataset.byName(dataset).orElseThrow(() -> new CommandLine.ParameterException(
                            spec.commandLine(), "unknown data set '" + dataset + "': choose one of "
                                    + Arrays.stream(KnownDataset.values()).map(KnownDataset::key)
                                            .collect(Collectors.joining(", ")))));
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ExconCli.DataRoot root = ExconCli.DataRoot.set(data);
            try {
                List<String> unverified = new ArrayList<>();
                int checked = 0;
                for (KnownDataset d : which) {
                    Path dir;
                    try {
                        dir = d.defaultDirectory();
                    } catch (DatasetException e) {
                        return fail(err, e.getMessage());
                    }
                    if (!Files.isDirectory(dir)) {
                        Verification absent = DataVerifier.verify(d, dir);
                        if (dataset != null) {
                            return fail(err, absent.summary());
                        }
                        out.printf("%s: not present (%s)%n", d.key(), dir);
                        continue;
                    }
                    Verification v = DataVerifier.verify(d, dir);
                    checked++;
                    out.printf("%s: %s%n  %s%n", d.key(), v.status().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                            v.summary());
                    out.flush();
                    if (!v.verified()) {
                        unverified.add(d.key() + " (" + v.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                                + ")");
                    }
                }
                if (checked == 0) {
                    return fail(err, "no data set found under the data root " + DataPaths.dataRoot().toAbsolutePath()
                            .normalize() + ": give --data DIR (or EXCON_DATA), or fetch one: make download"
                            + " DATASET=...");
                }
                if (!unverified.isEmpty()) {
                    return fail(err, String.join(", ", unverified) + ": see above for each file and what to do");
                }
                return 0;
            } finally {
                root.close();
            }
        }

        private static int fail(PrintWriter err, String message) {
            err.println("error: " + message);
            err.flush();
            return 1;
        }
    }
}
