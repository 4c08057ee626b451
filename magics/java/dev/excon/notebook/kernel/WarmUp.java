package dev.excon.notebook.kernel;

import java.util.List;

/**
 * The work a kernel does on its way to the first results, run once without a connection: start-up imports, a few
 * cells, the renderers. The kernelspec installer runs it under {@code -XX:ArchiveClassesAtExit}, so every class it
 * touches comes from the archive when a real kernel starts.
 */
final class WarmUp {

    private static final List<String> CELLS = List.of(
            "int x = 1 + 1;\nx",
            "var t = tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"a\", 1, 2));\nt",
            "var img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);\nimg",
            "String s = \"<b>\";\ns.length()",
            "%excon");

    private WarmUp() {}

    static void run() throws Exception {
        ExconKernel kernel = ExconKernel.create();
        kernel.onStartup();
        for (String problem : kernel.warmUp()) {
            System.err.println("warm-up: start-up import failed: " + problem);
        }
        int n = 1;
        for (String cell : CELLS) {
            try {
                CellEvaluator.Value v = kernel.runCell(cell, n++);
                if (v != null && v.value() != null) {
                    kernel.getRenderer().render(v.value());
                }
            } catch (CellFailure f) {
                System.err.println("warm-up: " + f.name() + ": " + f.getMessage());
            }
        }
        kernel.onShutdown(false);
    }
}
