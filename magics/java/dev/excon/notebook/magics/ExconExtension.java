package dev.excon.notebook.magics;

import dev.excon.notebook.render.Renderers;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * The ExCon notebook extension, found through {@code META-INF/services/org.dflib.jjava.jupyter.Extension}: the
 * {@code %excon}, {@code %classpath}, {@code %jars} and {@code %maven} magics and the renderers (Tablesaw tables,
 * XChart charts, images, report objects). The ExCon kernel installs it at start; a stock JJava kernel with this jar
 * on its class path does too.
 */
public final class ExconExtension implements Extension {

    private static final Map<String, List<String>> ARGUMENTS = Map.of(
            "excon", ExconMagic.COMMANDS);

    @Override
    public void install(BaseKernel kernel) {
        kernel.getMagicsRegistry()
                .registerLineMagic("excon", new ExconMagic())
                .registerLineMagic("classpath", new ClasspathMagic(false))
                .registerLineMagic("jars", new ClasspathMagic(true))
                .registerLineMagic("maven", new MavenMagic());
        Renderers.register(kernel.getRenderer());
    }

    /** Completions for a magic's first argument ({@code %excon e} completes to {@code env}). */
    public static List<String> argumentCompletions(String magic) {
        return ARGUMENTS.getOrDefault(magic, List.of());
    }
}
