package dev.excon.notebook.kernel;

import dev.excon.ExconRuntime;
import dev.excon.notebook.Display;
import dev.excon.report.Html;
import dev.excon.notebook.magics.ExconExtension;
import dev.excon.notebook.magics.MagicException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

/**
 * The ExCon Java kernel: JJava's protocol layer ({@link BaseKernel}) with an in-process JShell evaluator.
 *
 * <p>Cells run on one dedicated thread ({@link CellThread}) that an interrupt can reach; the value of a cell's last
 * expression reaches the renderers as the real object; errors show the exception's class, message and the cell line;
 * line magics may sit between Java statements; completion, inspection, is_complete and history work as the protocol
 * describes. The library's main packages are imported when the kernel starts.
 */
public final class ExconKernel extends BaseKernel {

    /** What every session imports: collections, files, the whole ExCon library, DJL arrays, the notebook API. */
    public static final List<String> STARTUP_IMPORTS = List.of(
            "import java.util.*;", "import java.util.stream.*;", "import java.nio.file.*;",
            "import dev.excon.ExconRuntime;", "import dev.excon.data.*;", "import dev.excon.augment.*;",
            "import dev.excon.model.*;", "import dev.excon.saliency.*;", "import dev.excon.loss.*;",
            "import dev.excon.train.*;", "import dev.excon.eval.*;", "import dev.excon.report.*;",
            "import dev.excon.experiment.*;",
            "import ai.djl.ndarray.*;", "import ai.djl.ndarray.types.*;",
            "import ai.djl.Device;", "import dev.excon.notebook.*;", "import static dev.excon.notebook.Notebook.*;");

    private static final Pattern MAGIC_NAME_AT_CURSOR = Pattern.compile("^(\\s*)(%{1,2})([\\w.-]*)$");
    private static final Pattern MAGIC_ARG_AT_CURSOR = Pattern.compile("^\\s*%([\\w.-]+)\\s+(\\S*)$");
    private static final Pattern IDENTIFIER_CHAR = Pattern.compile("[\\w$]");

    private final CellThread cellThread;
    private final java.util.concurrent.CompletableFuture<CellEvaluator> evaluator =
            new java.util.concurrent.CompletableFuture<>();
    private final SessionHistory history;
    private final KernelIO kernelIO;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    /** Open once the start-up imports and the warm-up cell ran: cells wait for it, so nothing races the warm-up. */
    private final CountDownLatch warm = new CountDownLatch(1);
    private volatile ShellReplyEnvironment currentEnv;
    private volatile boolean interruptRequested;

    private ExconKernel(KernelIO io, SessionHistory history, CellThread cellThread) {
        super("excon", version(), languageInfo(), helpLinks(), history, io, new CommManager(), new Renderer(),
                new MagicParser("^\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(), true,
                new StringStyler.Builder().build());
        this.kernelIO = io;
        this.history = history;
        this.cellThread = cellThread;
    }

    /** A kernel ready for {@link #onStartup()}; call {@link #startEvaluator} or {@link #warmUp} before cells. */
    public static ExconKernel create() {
        return new ExconKernel(new KernelIO(), new SessionHistory(), new CellThread(ExconKernel::gradientsOff));
    }

    private static String version() {
        String v = ExconKernel.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                .fileExtension(".jshell").pygments("java").codemirror("text/x-java").build();
    }

    private static List<HelpLink> helpLinks() {
        return List.of(new HelpLink("Java 17 API", "https://docs.oracle.com/en/java/javase/17/docs/api/"),
                new HelpLink("Deep Java Library", "https://javadoc.io/doc/ai.djl/api/0.36.0/index.html"));
    }

    /**
     * libtorch records gradients per thread and starts every new thread with recording on; DJL only turns it off on
     * the thread that loaded the engine. Before each cell, once the engine is loaded, the cell thread turns it off.
     */
    private static void gradientsOff() {
        if (EngineProbe.pytorchLoaded()) {
            ExconRuntime.noGradientRecording();
        }
    }

    /**
     * Creates the JShell evaluator and compiles the start-up imports in the background, while the kernel connects:
     * the first compile in a JVM is the slowest step of start-up (about a second), so it must not wait for anything.
     * The first cell waits for it.
     */
    public void startEvaluator() {
        Thread t = new Thread(() -> {
            try {
                CellEvaluator e = createEvaluator();
                KernelMain.trace("evaluator");
                for (String p : e.warmUp(STARTUP_IMPORTS)) {
                    KernelMain.LOG.println("excon kernel: start-up import failed: " + p);
                }
                warmRender();
                KernelMain.trace("warm");
            } catch (RuntimeException | Error e) {
                evaluator.completeExceptionally(e);
            } finally {
                warm.countDown();
            }
        }, "excon-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** One trivial cell through the whole path (split, compile, run, render), so the first real one is quick. */
    private void warmRender() {
        try {
            CellEvaluator.Value v = runCell("1 + 1", 0);
            render(v);
        } catch (CellFailure | RuntimeException e) {
            KernelMain.LOG.println("excon kernel: warm-up cell failed: " + e);
        }
    }

    /** Creates the evaluator and runs the start-up imports now; returns the imports that failed. */
    public List<String> warmUp() {
        try {
            return createEvaluator().warmUp(STARTUP_IMPORTS);
        } finally {
            warm.countDown();
        }
    }

    private CellEvaluator createEvaluator() {
        synchronized (evaluator) { // not the kernel's monitor: execute requests hold that while they wait for this
            if (!evaluator.isDone()) {
                evaluator.complete(new CellEvaluator(cellThread, ExconKernel.class.getClassLoader()));
            }
        }
        return evaluator.join();
    }

    private CellEvaluator evaluator() {
        try {
            return evaluator.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("the Java evaluator could not start: " + e.getCause(), e.getCause());
        }
    }

    /** Blocks until a shutdown request has been handled. */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    /** Waits at most {@code millis} for a shutdown request; true if one came. */
    public boolean awaitShutdown(long millis) throws InterruptedException {
        return shutdown.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The cell thread (the connection guards its socket I/O against interrupts). */
    CellThread cellThread() {
        return cellThread;
    }

    /** Adds jars or directories to what cells compile against and load from (also loads their extensions). */
    public void addToClasspath(String classpath) {
        if (classpath == null || classpath.isBlank()) {
            return;
        }
        evaluator().addToClasspath(classpath);
        if (extensionsEnabled) {
            installExtensions(classpath);
        }
    }

    /** Clears the output of the running cell (now, or when the next output arrives). */
    public void clearOutput(boolean waitForNext) {
        ShellReplyEnvironment env = currentEnv;
        if (env != null) {
            env.publish(waitForNext ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    @Override
    protected ClassLoader getClassLoader() {
        return evaluator().classLoader();
    }

    /** At start the notebook loader adds nothing to the kernel's own, so extensions come from the latter. */
    @Override
    protected void installDefaultExtensions() {
        installExtensions(ExconKernel.class.getClassLoader());
    }

    // ---- execution -------------------------------------------------------------------------------------------------

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : Math.max(1, executionCount.get() - 1);
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        replaceOutputStreams(env);
        kernelIO.attach(env, request.isStdinEnabled());
        env.defer(() -> kernelIO.detach(env));
        currentEnv = env;
        interruptRequested = false;
        KernelMain.trace("execute " + count + " received");
        awaitWarmUp();
        cellThread.cellStarted();
        try {
            DisplayData result = render(runCell(request.getCode(), count));
            kernelIO.out.flush();
            kernelIO.err.flush();
            if (result != null && !silent) {
                env.publish(new PublishExecuteResult(count, result));
            }
            KernelMain.trace("execute " + count + " done");
            if (store) {
                history.add(count, request.getCode(), result == null ? "" : String.valueOf(
                        result.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN)));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (CellFailure f) {
            kernelIO.out.flush();
            kernelIO.err.flush();
            if (interruptRequested) {
                f = f.withFirstLine(ErrorText.note("Interrupted. The kernel is still running and keeps its variables."));
            }
            if (store) {
                history.add(count, request.getCode(), "");
            }
            env.publish(new PublishError(f.name(), f.getMessage(), f.traceback()));
            ErrorReply error = new ErrorReply(f.name(), f.getMessage(), f.traceback());
            error.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
        } finally {
            cellThread.cellEnded();
            currentEnv = null;
        }
    }

    private void awaitWarmUp() {
        try {
            warm.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The cell's parts in order; the value of the last one, if it is an expression or a magic returning a value. */
    CellEvaluator.Value runCell(String code, int count) throws CellFailure {
        List<CellParts.Part> parts = CellParts.split(code, this::unfinished);
        CellEvaluator.Value last = null;
        for (CellParts.Part p : parts) {
            last = switch (p.kind()) {
                case CODE -> evaluator().eval(p.text(), count, p.firstLine());
                case LINE_MAGIC -> runMagic(p, true);
                case CELL_MAGIC -> runMagic(p, false);
            };
        }
        return last;
    }

    private boolean unfinished(String code) {
        String r = evaluator().isComplete(code);
        return !r.equals(IS_COMPLETE_YES) && !r.equals(IS_COMPLETE_BAD);
    }

    private CellEvaluator.Value runMagic(CellParts.Part p, boolean line) throws CellFailure {
        java.util.Set<String> names = line ? magicsRegistry.getLineMagicNames() : magicsRegistry.getCellMagicNames();
        String shown = (line ? "%" : "%%") + p.name();
        if (!names.contains(p.name())) {
            List<String> known = new ArrayList<>();
            names.stream().sorted().forEach(n -> known.add((line ? "%" : "%%") + n));
            String msg = "unknown magic " + shown + (known.isEmpty() ? "" : "; this kernel has " + String.join(" ", known));
            throw new CellFailure("UnknownMagic", msg, List.of(ErrorText.header("UnknownMagic", msg),
                    "    at cell line " + (p.firstLine() + 1)));
        }
        try {
            Object value = cellThread.run(() -> line ? magicsRegistry.evalLineMagic(this, p.name(), p.args())
                    : magicsRegistry.evalCellMagic(this, p.name(), p.args(), p.text()));
            return value == null ? null : new CellEvaluator.Value(value);
        } catch (Exception e) {
            Throwable t = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null
                    ? e.getCause() : e;
            String msg = t.getMessage() == null ? "" : t.getMessage();
            // A magic's own failure shows as UsageError or MagicError with its usage; anything else by its class.
            String name = t instanceof MagicException m ? m.errorName() : t.getClass().getName();
            List<String> lines = new ArrayList<>();
            lines.add(ErrorText.header(name, msg));
            if (t instanceof MagicException m) {
                m.details().forEach(d -> lines.add("    " + d));
            }
            lines.add("    in " + shown + " at cell line " + (p.firstLine() + 1));
            throw new CellFailure(name, msg, lines);
        }
    }

    /** Renders a value on the cell thread (renderers may call notebook objects); null when nothing is shown. */
    private DisplayData render(CellEvaluator.Value value) throws CellFailure {
        if (value == null) {
            return null;
        }
        Object v = value.value();
        if (v == null) {
            return new DisplayData("null");
        }
        if (v instanceof Display) {
            return null; // display(x) as the last expression: the display is the output, not its handle
        }
        if (v instanceof DisplayData d) {
            return d;
        }
        try {
            return cellThread.run(() -> getRenderer().render(v));
        } catch (Exception e) {
            DisplayData plain = new DisplayData(String.valueOf(v));
            System.err.println("could not render " + v.getClass().getName() + ": " + e);
            return plain;
        }
    }

    @Override
    public Object evalRaw(String source) {
        if (cellThread.isCellThread()) {
            throw new IllegalStateException("eval(...) cannot run code from inside a cell; put the code in the cell");
        }
        try {
            CellEvaluator.Value v = runCell(source, executionCount.get());
            return v == null ? null : v.value();
        } catch (CellFailure f) {
            throw new IllegalStateException(f.name() + ": " + f.getMessage());
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        return List.of(ErrorText.header(e.getClass().getName(), e.getMessage()));
    }

    // ---- interrupt, shutdown ---------------------------------------------------------------------------------------

    @Override
    public void interrupt() {
        interruptRequested = true;
        cellThread.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        cellThread.shutdown();
        try {
            super.onShutdown(isRestarting);
        } finally {
            shutdown.countDown();
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new Replies.KernelInfo(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(), getBanner(),
                getHelpLinks()));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        java.util.Set<HistoryManager.ResultFlag> flags = java.util.EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search r = (HistoryRequest.Search) request;
                if (r.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield history.search(r.getPattern(), r.getMaxReturnLength(), flags);
            }
        };
        env.reply(Replies.history(message, entries));
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        env.defer().reply(new Replies.Interrupt());
        interrupt();
    }

    @Override
    public String getBanner() {
        return "ExCon for Java: Java " + Runtime.version() + " with JShell, DJL and the ExCon library";
    }

    // ---- completion, inspection, completeness ----------------------------------------------------------------------

    @Override
    public String isComplete(String code) {
        if (CellParts.CELL_MAGIC.matcher(code).matches()) {
            return IS_COMPLETE_YES;
        }
        return evaluator().isComplete(CellParts.maskMagics(code));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        if (at == 0) {
            lineStart = 0;
        }
        String line = code.substring(lineStart, at);
        Matcher name = MAGIC_NAME_AT_CURSOR.matcher(line);
        if (name.matches()) {
            boolean cell = name.group(2).length() == 2;
            java.util.Set<String> names = cell ? magicsRegistry.getCellMagicNames() : magicsRegistry.getLineMagicNames();
            List<String> options = names.stream().filter(n -> n.startsWith(name.group(3))).sorted()
                    .map(n -> name.group(2) + n).toList();
            return new ReplacementOptions(options, lineStart + name.group(1).length(), at);
        }
        Matcher arg = MAGIC_ARG_AT_CURSOR.matcher(line);
        if (arg.matches()) {
            List<String> options = ExconExtension.argumentCompletions(arg.group(1)).stream()
                    .filter(o -> o.startsWith(arg.group(2))).toList();
            return new ReplacementOptions(options, at - arg.group(2).length(), at);
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = evaluator().complete(CellParts.maskMagics(code), at, anchor);
        List<String> options = suggestions.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String masked = CellParts.maskMagics(code);
        int end = Math.min(at, masked.length());
        while (end < masked.length() && IDENTIFIER_CHAR.matcher(String.valueOf(masked.charAt(end))).matches()) {
            end++;
        }
        int paren = end;
        while (paren < masked.length() && Character.isWhitespace(masked.charAt(paren))) {
            paren++;
        }
        if (paren < masked.length() && masked.charAt(paren) == '(') {
            end = paren + 1;
        }
        List<SourceCodeAnalysis.Documentation> docs = evaluator().documentation(masked, end);
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(d.signature());
            html.append("<p><code>").append(Html.escape(d.signature())).append("</code></p>");
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append('\n').append(d.javadoc());
                html.append("<pre>").append(Html.escape(d.javadoc())).append("</pre>");
            }
        }
        DisplayData data = new DisplayData(text.toString());
        data.putHTML(html.toString());
        return data;
    }
}
