package dev.excon.notebook.render;

import dev.excon.report.Html;
import java.awt.image.RenderedImage;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Renders whatever has no more specific renderer. Recognised by class name, so neither library must be on the class
 * path of a kernel that loads this extension: a Tablesaw table (HTML + text), an XChart chart (PNG). Then the report
 * contract, for {@code dev.excon.report} objects and anything else: a public no-argument {@code toImage()} returning
 * an image gives image/png (a figure: when it also has {@code toHtml()}, that only wraps the same picture); else a
 * public no-argument {@code String toHtml()} gives text/html (a whole page goes into a sandboxed iframe, so its styles
 * stay inside). Everything else is plain text,
 * with JShell's wrapper names taken out of default {@code toString()}s ({@code REPL.$JShell$7$Point@1b2c} becomes
 * {@code Point@1b2c}).
 */
public final class ObjectRenderer {

    private static final Pattern JSHELL_WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\$");

    private ObjectRenderer() {}

    /** The render function registered for {@code Object}. */
    public static void render(Object value, RenderContext context) {
        if (isA(value.getClass(), "tech.tablesaw.table.Relation")) {
            context.renderIfRequested(MIMEType.TEXT_HTML, () -> TableHtml.html(value));
            context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> TableHtml.text(value));
            return;
        }
        if (isA(value.getClass(), "org.knowm.xchart.internal.chartpart.IChart")) {
            context.renderIfRequested(MIMEType.IMAGE_PNG, () -> Html.pngBase64(ChartImage.image(value)));
            context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> ChartImage.text(value));
            return;
        }
        Method html = reportMethod(value.getClass(), "toHtml");
        Method image = reportMethod(value.getClass(), "toImage");
        boolean hasImage = image != null && RenderedImage.class.isAssignableFrom(image.getReturnType());
        boolean hasHtml = html != null && html.getReturnType() == String.class;
        if (hasImage) {
            // A figure: its picture, encoded once (its HTML form would only wrap the same picture).
            context.renderIfRequested(MIMEType.IMAGE_PNG, (type, out) -> {
                Object img = call(image, value);
                if (img != null) {
                    out.putData(type, Html.pngBase64((RenderedImage) img));
                }
            });
        } else if (hasHtml) {
            context.renderIfRequested(MIMEType.TEXT_HTML, (type, out) -> {
                String h = isolated((String) call(html, value));
                if (h != null) {
                    out.putData(type, h);
                }
            });
        }
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> plainText(value));
    }

    /**
     * An HTML fragment as is; a whole page ({@code <!DOCTYPE html>} or {@code <html>}, e.g. a {@code Report}) inside a
     * sandboxed {@code <iframe srcdoc>}, so its style sheet cannot restyle the notebook around it.
     */
    static String isolated(String html) {
        if (html == null) {
            return null;
        }
        String head = html.stripLeading().toLowerCase(java.util.Locale.ROOT);
        if (!(head.startsWith("<!doctype html") || head.startsWith("<html"))) {
            return html;
        }
        return "<iframe class=\"excon-page\" sandbox=\"\" style=\"width:100%;height:70vh;border:1px solid #ddd\" "
                + "srcdoc=\"" + dev.excon.report.Html.escape(html) + "\"></iframe>";
    }

    /** {@code String.valueOf(value)} without JShell's wrapper class names. */
    public static String plainText(Object value) {
        String s = String.valueOf(value);
        return s.contains("REPL.$JShell$") ? JSHELL_WRAPPER.matcher(s).replaceAll("") : s;
    }

    /** Whether {@code type} is, extends or implements the class named {@code name} (no class loading). */
    static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (isA(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A public, non-static, no-argument method of that name, callable even on a notebook-defined class. */
    static Method reportMethod(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            if (Modifier.isStatic(m.getModifiers())) {
                return null;
            }
            if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                m.setAccessible(true); // a class declared in a cell is not public; the method still is
            }
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }

    private static Object call(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(target.getClass().getSimpleName() + "." + m.getName() + "() failed: "
                    + cause, cause);
        }
    }
}
