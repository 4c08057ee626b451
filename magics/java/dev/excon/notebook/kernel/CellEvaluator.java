package dev.excon.notebook.kernel;

import dev.excon.notebook.ParameterException;
import java.io.File;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Java code of a cell, run through an in-process JShell: the cell is cut into JShell snippets, each is compiled and
 * run in order on the {@link CellThread}, and the value of the last expression is handed back as the real object.
 * A compile error or an exception ends the cell with a {@link CellFailure} that names the line of the cell.
 *
 * <p>Not thread-safe on its own: the kernel calls it from its shell thread, and {@link #warmUp} runs under the same
 * lock.
 */
final class CellEvaluator implements AutoCloseable {

    /** The value of a cell's last expression; {@code value} may be null (the expression was null). */
    record Value(Object value) {}

    /** Where a snippet's first line sits: which cell, which line (0-based) of it. */
    private record Location(int cell, int firstLine) {}

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final KeptResultsControl control;
    private final SnippetLoader loader;
    private final Map<String, Location> locations = new ConcurrentHashMap<>();
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    /** Jars added while the lock was taken (from notebook code): the compiler gets them before its next use. */
    private final java.util.Queue<String> pendingClasspath = new java.util.concurrent.ConcurrentLinkedQueue<>();

    CellEvaluator(CellThread thread, ClassLoader parent) {
        this.loader = new SnippetLoader(parent);
        this.control = new KeptResultsControl(loader, thread);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        this.shell = JShell.builder().executionEngine(control.provider(), Map.of()).out(nowhere).err(nowhere)
                .compilerOptions("-Xlint:none", "-proc:none").build();
        this.analysis = shell.sourceCodeAnalysis();
        thread.setContextClassLoader(loader.classLoader());
        // JShell's compiler starts from java.class.path, which the kernel's loader (the parent) also has.
    }

    /** The loader of cell classes and added jars. */
    ClassLoader classLoader() {
        return loader.classLoader();
    }

    /**
     * Adds jars or directories (separated by the path separator) for the loader at once and for the compiler before
     * its next use. Safe from the cell thread while a cell runs (a magic, or notebook code adding jars).
     */
    void addToClasspath(String path) {
        try {
            loader.addToClasspath(path);
        } catch (jdk.jshell.spi.ExecutionControl.InternalException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        pendingClasspath.add(path);
        if (lock.tryLock()) {
            try {
                applyPendingClasspath();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under the lock: hands jars added meanwhile to JShell's compiler. */
    private void applyPendingClasspath() {
        String p;
        while ((p = pendingClasspath.poll()) != null) {
            for (String entry : p.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    shell.addToClasspath(entry);
                }
            }
        }
    }

    /** Takes the lock and brings the compiler's class path up to date. */
    private void enter() {
        lock.lock();
        applyPendingClasspath();
    }

    /**
     * Compiles and runs the start-up snippets (imports) and a trivial expression, so the compiler is warm when the
     * first cell arrives. Failures are returned, not thrown: a missing package must not stop the kernel.
     */
    List<String> warmUp(List<String> snippets) {
        List<String> problems = new ArrayList<>();
        enter();
        try {
            for (String s : snippets) {
                for (SnippetEvent e : shell.eval(s)) {
                    if (e.status() == Snippet.Status.REJECTED) {
                        problems.add(s + ": " + shell.diagnostics(e.snippet()).map(d -> d.getMessage(null))
                                .findFirst().orElse("rejected"));
                    }
                }
            }
            control.clear();
        } finally {
            lock.unlock();
        }
        return problems;
    }

    /**
     * Runs Java code (a whole cell, or the code between two magic lines) and returns the value of its last snippet
     * when that is an expression, else null.
     *
     * @param cell the execution count, for error messages pointing into earlier cells
     * @param firstLine 0-based line of the cell where {@code code} starts
     */
    Value eval(String code, int cell, int firstLine) throws CellFailure {
        enter();
        try {
            try {
                return evalLocked(code, cell, firstLine);
            } finally {
                control.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    private Value evalLocked(String code, int cell, int firstLine) throws CellFailure {
        String rest = code;
        int offset = 0;
        Value last = null;
        while (!rest.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            String source;
            int consumed;
            if (c.isComplete()) {
                source = info.source();
                consumed = rest.length() - info.remaining().length();
            } else {
                source = rest; // incomplete at the end of the cell: let the compiler say what is missing
                consumed = rest.length();
            }
            int startLine = firstLine + lines(code, offset);
            // Leading blank lines are dropped: JShell numbers a snippet's lines from its first non-blank one.
            int blank = leadingBlankLines(source);
            startLine += lines(source, blank);
            last = evalSnippet(source.substring(blank), cell, startLine);
            offset += consumed;
            rest = code.substring(offset);
        }
        return last;
    }

    private Value evalSnippet(String source, int cell, int startLine) throws CellFailure {
        applyPendingClasspath(); // jars the previous snippet added
        List<SnippetEvent> events = shell.eval(source);
        Value value = null;
        CellFailure failure = null;
        for (SnippetEvent e : events) {
            Object kept = KeptResultsControl.isKey(e.value()) ? control.take(e.value()) : null;
            if (e.causeSnippet() != null) {
                continue; // another snippet whose status changed because of this one
            }
            Snippet sn = e.snippet();
            locations.put(sn.id(), new Location(cell, startLine));
            if (e.status() == Snippet.Status.REJECTED) {
                failure = compileError(sn, cell, startLine);
            } else if (e.exception() != null) {
                failure = runtimeError(e.exception(), cell);
            } else if (e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED && sn instanceof DeclarationSnippet d) {
                failure = new CellFailure("CompileError", "unresolved " + unresolved(d),
                        List.of(ErrorText.header("CompileError", name(d) + " cannot be defined until "
                                + unresolved(d) + " exist" + (shell.unresolvedDependencies(d).count() == 1 ? "s" : ""))));
            } else if (e.status() == Snippet.Status.RECOVERABLE_DEFINED && sn instanceof DeclarationSnippet d) {
                System.err.println("note: " + name(d) + " is defined but cannot be used until " + unresolved(d)
                        + " exist" + (shell.unresolvedDependencies(d).count() == 1 ? "s" : ""));
            } else if (isExpression(sn) && KeptResultsControl.isKey(e.value())) {
                value = new Value(kept);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    private static boolean isExpression(Snippet sn) {
        return switch (sn.subKind()) {
            case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
    }

    private String unresolved(DeclarationSnippet d) {
        return String.join(", ", shell.unresolvedDependencies(d).toList());
    }

    private static String name(DeclarationSnippet d) {
        return switch (d.kind()) {
            case METHOD -> "method " + d.name() + "()";
            case TYPE_DECL -> "class " + d.name();
            case VAR -> "variable " + d.name();
            default -> d.name();
        };
    }

    private CellFailure compileError(Snippet sn, int cell, int startLine) {
        List<Diag> errors = shell.diagnostics(sn).filter(Diag::isError).toList();
        String source = sn.source();
        List<String> out = new ArrayList<>();
        String first = null;
        for (Diag d : errors) {
            List<String> message = new ArrayList<>(List.of(d.getMessage(null).split("\\R")));
            message.removeIf(l -> l.trim().startsWith("location:"));
            if (first == null) {
                first = message.get(0);
            }
            long pos = Math.max(0, Math.min(d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition(),
                    source.length()));
            long end = Math.max(pos, Math.min(d.getEndPosition(), source.length()));
            int lineInSnippet = lines(source, (int) pos);
            int lineStart = source.lastIndexOf('\n', (int) pos - 1) + 1;
            int lineEnd = source.indexOf('\n', lineStart);
            String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            out.add(ErrorText.header("error", message.get(0)));
            for (String extra : message.subList(1, message.size())) {
                out.add("    " + extra.trim());
            }
            String where = "cell line " + (startLine + lineInSnippet + 1) + ": ";
            out.add(where + line);
            int col = (int) pos - lineStart;
            int width = (int) Math.max(1, Math.min(end - pos, line.length() - col));
            out.add(" ".repeat(where.length() + Math.max(0, col)) + "^".repeat(Math.max(1, width)));
        }
        if (errors.isEmpty()) {
            first = "the code does not compile";
            out.add(ErrorText.header("error", first));
        }
        return new CellFailure("CompileError", first, out);
    }

    private CellFailure runtimeError(JShellException e, int cell) {
        if (e instanceof UnresolvedReferenceException u) {
            DeclarationSnippet d = u.getSnippet();
            String msg = name(d) + " cannot be used until " + unresolved(d) + " exist"
                    + (shell.unresolvedDependencies(d).count() == 1 ? "s" : "");
            return new CellFailure("UnresolvedReference", msg, List.of(ErrorText.header("UnresolvedReference", msg)));
        }
        String className = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
        String message = ErrorText.clean(e.getMessage());
        if (className.equals(ParameterException.class.getName())) {
            // The fix is on the command line, which the message names: frames would only hide it.
            return new CellFailure(className, message, List.of(ErrorText.header(className, message)));
        }
        List<String> out = new ArrayList<>();
        out.add(ErrorText.header(className, message));
        out.addAll(frames(e.getStackTrace(), cell, 8));
        Throwable cause = e.getCause();
        int depth = 0;
        while (cause != null && depth++ < 5) {
            String cn = cause instanceof EvalException ce ? ce.getExceptionClassName() : cause.getClass().getName();
            out.add("Caused by: " + cn + (cause.getMessage() != null ? ": " + ErrorText.clean(cause.getMessage()) : ""));
            out.addAll(frames(cause.getStackTrace(), cell, 3));
            cause = cause.getCause();
        }
        return new CellFailure(className, message == null ? "" : message, out);
    }

    /** Frame lines shown per exception at most; the rest is counted in "... N more". */
    static final int MAX_FRAME_LINES = 20;

    /** Times one frame line is shown in a row (recursion) before its repeats are counted in "... N more". */
    static final int MAX_REPEATS = 3;

    /**
     * Frames worth reading: a few library frames and the cell lines, JDK reflection and kernel plumbing left out. A
     * line repeated in a row (recursion) is shown {@value #MAX_REPEATS} times, and at most {@value #MAX_FRAME_LINES}
     * lines in all: a stack overflow shows its first frames and "... N more", not a thousand lines.
     */
    private List<String> frames(StackTraceElement[] trace, int cell, int maxLibraryFrames) {
        List<String> out = new ArrayList<>();
        int library = 0;
        int hidden = 0;
        int shown = 0;
        int repeats = 0;
        String previous = null;
        for (StackTraceElement f : trace) {
            String line = frameLine(f, cell);
            if (line == null) {
                continue;
            }
            boolean isLibrary = !line.startsWith("    at cell line") && !line.startsWith("    at line ")
                    && !line.startsWith("    at an earlier cell");
            repeats = line.equals(previous) ? repeats + 1 : 1;
            previous = line;
            if (shown >= MAX_FRAME_LINES || repeats > MAX_REPEATS || (isLibrary && library >= maxLibraryFrames)) {
                hidden++;
                continue;
            }
            if (hidden > 0) {
                out.add("    ... " + hidden + " more");
                hidden = 0;
            }
            out.add(line);
            shown++;
            if (isLibrary) {
                library++;
            }
        }
        if (hidden > 0) {
            out.add("    ... " + hidden + " more");
        }
        return out;
    }

    /** How one frame reads in the notebook, or null for JDK reflection and kernel plumbing. */
    private String frameLine(StackTraceElement f, int cell) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            Location loc = locations.get(file.substring(1));
            String method = f.getMethodName().isEmpty() ? "" : " (in " + f.getMethodName() + ")";
            if (loc == null) {
                return "    at an earlier cell" + method;
            }
            int line = loc.firstLine() + f.getLineNumber();
            return loc.cell() == cell ? "    at cell line " + line + method
                    : "    at line " + line + " of cell [" + loc.cell() + "]" + method;
        }
        String c = f.getClassName();
        if (c.startsWith("jdk.internal.") || c.startsWith("java.lang.reflect.") || c.startsWith("sun.reflect.")
                || c.startsWith("dev.excon.notebook.kernel.")) {
            return null;
        }
        return "    at " + f;
    }

    // ---- completion, inspection, completeness --------------------------------------------------------------------

    /** Whether the code (magic lines already blanked) is complete, incomplete (the indent to add) or invalid. */
    String isComplete(String code) {
        enter();
        try {
            String rest = code;
            while (!rest.isBlank()) {
                CompletionInfo info = analysis.analyzeCompletion(rest);
                switch (info.completeness()) {
                    case EMPTY:
                        return "complete";
                    case UNKNOWN:
                        return "invalid";
                    case DEFINITELY_INCOMPLETE:
                    case CONSIDERED_INCOMPLETE:
                        return Indent.after(info.remaining());
                    default:
                        rest = info.remaining();
                }
            }
            return "complete";
        } finally {
            lock.unlock();
        }
    }

    /** JShell's completions at {@code cursor}; {@code anchor[0]} receives where the replaced text starts. */
    List<SourceCodeAnalysis.Suggestion> complete(String code, int cursor, int[] anchor) {
        enter();
        try {
            int start = snippetStart(code, cursor);
            int[] a = new int[1];
            List<SourceCodeAnalysis.Suggestion> s = analysis.completionSuggestions(code.substring(start, cursor),
                    cursor - start, a);
            anchor[0] = a[0] + start;
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** JShell's documentation of what ends at {@code end} (signature, javadoc when the JDK sources exist). */
    List<SourceCodeAnalysis.Documentation> documentation(String code, int end) {
        enter();
        try {
            int start = snippetStart(code, end);
            String text = code.substring(start, end);
            List<SourceCodeAnalysis.Documentation> d = analysis.documentation(text, text.length(), true);
            if (d.isEmpty()) {
                d = analysis.documentation(text + "(", text.length() + 1, true); // methods are found with a paren
            }
            return d;
        } finally {
            lock.unlock();
        }
    }

    /** Offset where the snippet holding {@code cursor} starts. */
    private int snippetStart(String code, int cursor) {
        int offset = 0;
        String rest = code;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.completeness() == Completeness.EMPTY) {
                return offset;
            }
            int consumed = rest.length() - info.remaining().length();
            if (consumed <= 0 || offset + consumed >= cursor) {
                return offset;
            }
            offset += consumed;
            rest = code.substring(offset);
        }
    }

    /** Length of the blank lines (white space up to and including a newline) that start {@code s}. */
    private static int leadingBlankLines(String s) {
        int cut = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                cut = i + 1;
            } else if (!Character.isWhitespace(c)) {
                break;
            }
        }
        return cut;
    }

    private static int lines(String s, int end) {
        int n = 0;
        for (int i = 0; i < end && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        shell.close();
    }
}
