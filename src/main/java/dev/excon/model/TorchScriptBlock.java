package dev.excon.model;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A TorchScript file ({@code torch.jit.trace(model.eval(), example).save(path)}, or {@code torch.jit.script}) as a
 * DJL block whose forward passes are differentiable with respect to their inputs in evaluation mode too, so the
 * library's explainers, attacks and measures run on a PyTorch colleague's model (inside a {@link BlockModel}). Its
 * weights stay as trained: they are frozen when loaded.
 *
 * <p>Why not DJL's own {@code PtSymbolBlock.forward}: in evaluation mode it runs the module with autograd switched
 * off, so no input gradient exists. This block sets the module's mode itself ({@code module.eval()} or {@code
 * module.train()}) and runs {@code forward} with autograd on; with frozen weights a graph is recorded only when an
 * input asks for gradients. A traced module runs in the mode it was traced in, whatever mode is asked for.
 *
 * <p>The module is one opaque block to DJL: its inner layers have no path, so Grad-CAM inside it is impossible. To
 * explain an inner layer, save the model in two files split at that layer and join them, e.g. {@code new
 * SequentialBlock().add(TorchScriptBlock.load(trunk, device)).add(TorchScriptBlock.load(head, device))}: the layer is
 * then the first block's output, path {@code "01TorchScriptBlock"}. A narrow convolution inside the module cannot be
 * seen either (see {@link ImageModel#gradientHazards()}).
 */
public final class TorchScriptBlock extends AbstractBlock implements AutoCloseable {

    private final PtNDManager manager;
    private final PtSymbolBlock module;
    private final Path file;
    private final String sha256;
    private Boolean training;

    private TorchScriptBlock(PtNDManager manager, PtSymbolBlock module, Path file, String sha256) {
        this.manager = manager;
        this.module = module;
        this.file = file;
        this.sha256 = sha256;
        for (Parameter p : module.getDirectParameters().values()) {
            p.freeze(true);
        }
    }

    /**
     * Loads a TorchScript file onto a device.
     *
     * @throws IllegalArgumentException when the file is missing or is not TorchScript (e.g. a {@code state_dict}
     *     saved with {@code torch.save}), naming the file and the fix
     */
    public static TorchScriptBlock load(Path file, Device device) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TorchScript file " + file.toAbsolutePath() + " does not exist: save "
                    + "the model with torch.jit.script(model).save(path) (or torch.jit.trace) and pass that path");
        }
        String digest = sha256(file);
        NDManager base = NDManager.newBaseManager(device, "PyTorch");
        if (!(base instanceof PtNDManager pt)) {
            base.close();
            throw new IllegalStateException("TorchScript needs DJL's PyTorch engine; the default engine is "
                    + base.getEngine().getEngineName());
        }
        try {
            // trainParam = true: otherwise the weights are inference tensors, which autograd refuses to save even
            // when only the input's gradient is wanted. They are frozen right after.
            PtSymbolBlock module = JniUtils.loadModule(pt, file.toAbsolutePath(), true, new String[0], new String[0],
                    true);
            return new TorchScriptBlock(pt, module, file, digest);
        } catch (EngineException e) {
            pt.close();
            throw new IllegalArgumentException(file + " could not be loaded as TorchScript (" + firstLine(e)
                    + "): a state_dict or a pickled model saved with torch.save cannot be read outside Python; "
                    + "save torch.jit.script(model) or torch.jit.trace(model, example) with its save(path)", e);
        }
    }

    /** The file the module came from. */
    public Path file() {
        return file;
    }

    /** The SHA-256 of the file, for provenance. */
    public String sha256() {
        return sha256;
    }

    /** The file's name and the first 12 hex digits of its SHA-256. */
    public String description() {
        return "TorchScript " + file.getFileName() + " (sha256 " + sha256.substring(0, 12) + ")";
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (this.training == null || this.training != training) {
            if (training) {
                JniUtils.enableTrainingMode(module);
            } else {
                JniUtils.enableInferenceMode(module);
            }
            this.training = training;
        }
        // true: autograd on whatever the module's mode (see the class comment); with frozen weights a graph is kept
        // only when an input asks for gradients.
        return IValueUtils.forward(module, inputs, true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return module.getOutputShapes(inputShapes);
    }

    @Override
    public void close() {
        module.close();
        manager.close();
    }

    @Override
    public String toString() {
        return "TorchScriptBlock[" + description() + "]";
    }

    /** For {@link Layers#countParameters}: the module's own parameters (DJL's tree does not list them). */
    long countModuleParameters() {
        long n = 0;
        for (Parameter p : module.getDirectParameters().values()) {
            NDArray a = p.getArray();
            n += a.size();
        }
        return n;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int r; (r = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TorchScript file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
