package dev.excon.data.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of checking one data set's files against their published checksums.
 *
 * @param dataset which data set
 * @param directory where it was checked
 * @param status the verdict
 * @param files how many files were checked
 * @param unchanged how many of them were taken from the cache (size and modification time unchanged)
 * @param bytesRead bytes hashed (files and, for a data set checked from its archive, the archive)
 * @param time how long the check took
 * @param basis what the files were checked against, one phrase per kind
 * @param problems for {@link Status#FAILED}: each mismatch or missing file, with the expected and found digests;
 *     for {@link Status#NOT_VERIFIABLE}: why
 * @param advice what to do: the fix for a failure, how to verify for a data set that could not be
 * @param cacheFile where the result is cached; null when it could not be written or nothing was checked
 */
public record Verification(KnownDataset dataset, Path directory, Status status, int files, int unchanged,
        long bytesRead, Duration time, List<String> basis, List<String> problems, String advice, Path cacheFile) {

    /** The verdict. */
    public enum Status {
        /** Every file matched. */
        VERIFIED,
        /** Nothing to check the files against: no published checksum reaches them. Not a claim either way. */
        NOT_VERIFIABLE,
        /** A file is missing or does not match. */
        FAILED,
        /** The directory does not exist. */
        ABSENT
    }

    private static final int SHOWN_PROBLEMS = 5;

    /** Copies the lists. */
    public Verification {
        basis = List.copyOf(basis);
        problems = List.copyOf(problems);
    }

    /** Whether every file matched. */
    public boolean verified() {
        return status == Status.VERIFIED;
    }

    /** One paragraph for a person: the verdict, the evidence, the time and what to do. */
    public String summary() {
        String where = dataset.title() + " in " + directory;
        return switch (status) {
            case VERIFIED -> where + ": " + files + (files == 1 ? " file matches " : " files match ")
                    + String.join("; ", basis) + ". " + timing() + ".";
            case NOT_VERIFIABLE -> where + " is not verifiable: " + String.join("; ", problems) + ". " + advice;
            case FAILED -> where + " does not match its published checksums: " + shown() + ". The data are damaged"
                    + " or not the published ones; " + advice + ".";
            case ABSENT -> dataset.title() + " is not present at " + directory + ": " + advice;
        };
    }

    private String shown() {
        if (problems.size() <= SHOWN_PROBLEMS) {
            return String.join("; ", problems);
        }
        return String.join("; ", problems.subList(0, SHOWN_PROBLEMS)) + "; and " + (problems.size()
                - SHOWN_PROBLEMS) + " more";
    }

    private String timing() {
        String s = String.format(Locale.ROOT, "Checked in %.2f s", time.toNanos() / 1e9);
        if (bytesRead > 0) {
            s += String.format(Locale.ROOT, " (%.1f MB read)", bytesRead / 1e6);
        }
        if (unchanged > 0) {
            s += "; " + unchanged + (unchanged == 1 ? " file" : " files") + " unchanged since the check cached in "
                    + cacheFile;
        } else {
            s += cacheFile != null ? "; the result is cached in " + cacheFile : "; the result could not be cached";
        }
        return s;
    }
}
