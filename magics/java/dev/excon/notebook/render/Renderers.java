package dev.excon.notebook.render;

import java.awt.image.BufferedImage;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** Registers the ExCon renderers with a kernel's renderer (this kernel's, or a stock JJava kernel's). */
public final class Renderers {

    private Renderers() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(BufferedImage.class).preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN).register(ImageRenderer::render);
        renderer.createRegistration(Object.class).preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN).register(ObjectRenderer::render);
    }
}
