package dev.excon.notebook.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell's compiled snippets in the kernel's own JVM, on the {@link CellThread}, and keeps every result as the
 * real object (JShell itself would only hand back its {@code toString()}): renderers then see a {@code Table}, a
 * chart or an image, not a string. JShell receives a key instead of the value and the evaluator swaps it back.
 */
final class KeptResultsControl extends DirectExecutionControl {

    private static final String KEY_PREFIX = "\u0000excon-result-";

    private final CellThread thread;
    private final Map<String, Object> results = new HashMap<>();
    private final AtomicLong keys = new AtomicLong();

    KeptResultsControl(SnippetLoader loader, CellThread thread) {
        super(loader);
        this.thread = thread;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        Object value;
        try {
            value = thread.run(() -> doit.invoke(null));
        } catch (InvocationTargetException e) {
            throw e; // the cell's own exception: JShell turns it into an EvalException with the snippet's lines
        } catch (CellStoppedException e) {
            throw new InvocationTargetException(e);
        }
        String key = KEY_PREFIX + keys.incrementAndGet();
        synchronized (results) {
            results.put(key, value);
        }
        return key;
    }

    /** True if {@code value} (a snippet event's value) is a key of a kept result. */
    static boolean isKey(String value) {
        return value != null && value.startsWith(KEY_PREFIX);
    }

    /** Removes and returns the object kept under {@code key} (may be null: the snippet's value was null). */
    Object take(String key) {
        synchronized (results) {
            return results.remove(key);
        }
    }

    /** Drops results nobody took (statements, declarations), so they can be garbage-collected. */
    void clear() {
        synchronized (results) {
            results.clear();
        }
    }

    /** Hands this instance to JShell. */
    ExecutionControlProvider provider() {
        KeptResultsControl self = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "excon-kept-results";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return self;
            }
        };
    }
}
