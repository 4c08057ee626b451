package dev.excon.notebook;

import ai.djl.Device;
import dev.excon.ExconRuntime;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * What a notebook calls: displays that update in place, live training progress, and the seed and device chosen with
 * {@code %excon seed} and {@code %excon device}. The ExCon kernel imports these statically, so a cell can write
 * {@code display(table)} or {@code trainer.addListener(progress())}.
 *
 * <p>Outside a notebook (a plain Java program, a test) displays print their plain-text form to standard output.
 */
public final class Notebook {

    /** The seed notebooks use until {@code %excon seed N} sets another. */
    public static final long DEFAULT_SEED = 42;

    private static volatile long seed = DEFAULT_SEED;
    private static volatile Device device;
    private static volatile dev.excon.model.Precision precision = dev.excon.model.Precision.FP32;

    private Notebook() {}

    // ---- seed and device -------------------------------------------------------------------------------------------

    /** The notebook's seed ({@value #DEFAULT_SEED} unless {@code %excon seed N} set one): pass it to configs and splits. */
    public static long seed() {
        return seed;
    }

    /** Sets the value {@link #seed()} returns (what {@code %excon seed} does besides seeding the engine). */
    public static void setSeed(long value) {
        seed = value;
    }

    /** The notebook's device: set by {@code %excon device}, else the first GPU when DJL sees one, else the CPU. */
    public static Device device() {
        Device d = device;
        return d != null ? d : ExconRuntime.defaultDevice();
    }

    /** Sets the value {@link #device()} returns; null goes back to the default. */
    public static void setDevice(Device value) {
        device = value;
    }

    /**
     * The notebook's precision ({@code fp32} unless {@code %excon precision bf16} or {@link #usePrecision} set it):
     * pass it to configs ({@code TrainConfig.Builder.precision}) and networks ({@code ExconNetwork.setPrecision}).
     */
    public static dev.excon.model.Precision precision() {
        return precision;
    }

    /**
     * Sets {@link #precision()} from text ({@code fp32} or {@code bf16}) and returns what this notebook's device
     * will run: bf16 falls back to fp32, with the reason printed, on a CPU without bfloat16 instructions.
     *
     * @throws ParameterException for other text
     */
    public static dev.excon.model.Precision usePrecision(String choice) {
        dev.excon.model.Precision p;
        try {
            p = dev.excon.model.Precision.parse(choice);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
        dev.excon.model.Precision.Choice c = dev.excon.model.Precision.choose(p, device());
        if (!c.note().isEmpty()) {
            System.out.println("note: " + c.note());
        }
        precision = c.precision();
        return precision;
    }

    // ---- parameters ------------------------------------------------------------------------------------------------

    /**
     * A parameter of the notebook: {@code defaultValue} unless the command line overrides it
     * ({@code bin/run-notebook NOTEBOOK name=value}). Call {@link #parameters()} at the end of the parameters cell.
     */
    public static String param(String name, String defaultValue) {
        return Parameters.string(name, defaultValue);
    }

    /** An integer parameter (see {@link #param(String, String)}). */
    public static int param(String name, int defaultValue) {
        return Parameters.integer(name, defaultValue);
    }

    /** A long parameter, e.g. a seed (see {@link #param(String, String)}). */
    public static long param(String name, long defaultValue) {
        return Parameters.longValue(name, defaultValue);
    }

    /** A real parameter (see {@link #param(String, String)}). */
    public static double param(String name, double defaultValue) {
        return Parameters.real(name, defaultValue);
    }

    /** A true/false parameter (see {@link #param(String, String)}). */
    public static boolean param(String name, boolean defaultValue) {
        return Parameters.bool(name, defaultValue);
    }

    /**
     * The notebook's parameters, their values and whether each is the default or came from the command line.
     *
     * @throws ParameterException naming any override this notebook does not have (a typo on the command line)
     */
    public static tech.tablesaw.api.Table parameters() {
        return Parameters.table();
    }

    /**
     * Sets the device from a parameter's text: {@code auto} (the first GPU when DJL sees one, else the CPU),
     * {@code cpu}, {@code gpu} or {@code gpu:N}. Returns the device now in use.
     *
     * @throws ParameterException for other text, or a GPU that DJL does not see (naming the choices)
     */
    public static Device useDevice(String choice) {
        String c = choice == null ? "auto" : choice.strip().toLowerCase(java.util.Locale.ROOT);
        if (c.equals("auto")) {
            setDevice(null);
            return device();
        }
        if (c.equals("cpu")) {
            setDevice(Device.cpu());
            return device();
        }
        if (c.matches("gpu(:\\d+)?")) {
            int index = c.length() > 3 ? Integer.parseInt(c.substring(4)) : 0;
            int gpus = ai.djl.engine.Engine.getInstance().getGpuCount();
            if (index >= gpus) {
                throw new ParameterException("device=" + choice + ", but DJL sees " + gpus + " GPU"
                        + (gpus == 1 ? "" : "s") + " here: use device=auto or device=cpu"
                        + (gpus > 0 ? " or gpu:0..gpu:" + (gpus - 1) : ""));
            }
            setDevice(Device.gpu(index));
            return device();
        }
        throw new ParameterException("device=" + choice + " is not a device: use auto, cpu, gpu or gpu:N");
    }

    // ---- displays --------------------------------------------------------------------------------------------------

    /** Shows {@code value} now (rendered as a cell result would be) and returns a handle to update it in place. */
    public static Display display(Object value) {
        String id = UUID.randomUUID().toString();
        BaseKernel kernel = kernel();
        if (kernel == null) {
            System.out.println(plainText(value));
            return new Display(id);
        }
        DisplayData data = render(kernel, value);
        data.setDisplayId(id);
        kernel.display(data);
        return new Display(id);
    }

    /** Replaces what {@code display} shows with {@code value}. */
    public static void updateDisplay(Display display, Object value) {
        BaseKernel kernel = kernel();
        if (kernel == null) {
            System.out.println(plainText(value));
            return;
        }
        DisplayData data = render(kernel, value);
        kernel.getIO().display.updateDisplay(display.id(), data);
    }

    /** Clears the running cell's output (only in the ExCon kernel; elsewhere nothing happens). */
    public static void clearOutput() {
        if (kernel() instanceof dev.excon.notebook.kernel.ExconKernel k) {
            k.clearOutput(false);
        }
    }

    /** An object that shows as the given HTML (trusted: it is not escaped). */
    public static DisplayData html(String html) {
        DisplayData d = new DisplayData(html.replaceAll("<[^>]*>", ""));
        d.putHTML(html);
        return d;
    }

    /**
     * A live progress display for a training run, updated in place at every step and epoch:
     * {@code trainer.addListener(progress())}. The notebook keeps its final state.
     */
    public static LiveProgress progress() {
        return new LiveProgress();
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------------

    /** The running kernel, or null outside a notebook. */
    static BaseKernel kernel() {
        try {
            return BaseKernel.notebookKernel();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static DisplayData render(BaseKernel kernel, Object value) {
        if (value instanceof DisplayData d) {
            return copy(d);
        }
        if (value == null) {
            return new DisplayData("null");
        }
        return kernel.getRenderer().render(value);
    }

    /** A fresh bundle with the same data (a display id set on it must not leak into the caller's object). */
    private static DisplayData copy(DisplayData d) {
        DisplayData c = new DisplayData();
        c.assign(d);
        return c;
    }

    private static String plainText(Object value) {
        if (value instanceof DisplayData d) {
            Object text = d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
            return String.valueOf(text);
        }
        return String.valueOf(value);
    }
}
