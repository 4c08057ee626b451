package dev.excon;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What an I/O error means to a user, and what to do about it. Java's messages lose the cause in several cases (an
 * {@link AccessDeniedException}'s message is only the path; a full disk is a plain IOException "No space left on
 * device"), so messages built from {@code getMessage()} alone read "cannot write X: X".
 */
public final class IoErrors {

    private IoErrors() {}

    /** The cause in a few words, e.g. "no space left on device", "permission denied", "read-only file system". */
    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied" + other(e);
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory" + other(e);
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory" + other(e);
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists" + other(e);
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a directory that is not empty is in the way" + other(e);
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return lower(f.getReason()) + other(e);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : lower(m);
    }

    /** What the user can do, for the causes that have a clear fix; empty otherwise. */
    public static String advice(IOException e, Path where) {
        String d = describe(e);
        if (d.contains("no space left") || d.contains("quota exceeded") || d.contains("file too large")) {
            return "free space on the file system of " + where + " (df -h " + where + ")";
        }
        if (d.contains("read-only file system")) {
            return where + " is on a read-only file system: use a writable directory";
        }
        if (d.contains("permission denied") || d.contains("operation not permitted")) {
            return "make " + where + " writable for you (ls -ld " + where + "), or use another directory";
        }
        return "";
    }

    /** {@code describe} plus {@code "; " + advice} when there is one. */
    public static String explain(IOException e, Path where) {
        String a = advice(e, where);
        return describe(e) + (a.isEmpty() ? "" : "; " + a);
    }

    /** The second path of a two-path error (a rename's target), which the short description would otherwise drop. */
    private static String other(IOException e) {
        if (e instanceof FileSystemException f && f.getOtherFile() != null) {
            return " (" + f.getFile() + " -> " + f.getOtherFile() + ")";
        }
        return "";
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
