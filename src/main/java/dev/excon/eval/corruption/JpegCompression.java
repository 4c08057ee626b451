package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * {@code jpeg_compression}: each image is rounded to 8 bits, encoded as baseline JPEG at a quality and decoded again,
 * on the host with the JDK's ImageIO codec. Its quality scaling of the standard (Annex K) quantisation tables and its
 * 4:2:0 chroma subsampling for RGB are those of libjpeg, which Pillow uses; 1-channel images are coded as grayscale.
 * CIFAR generator quality by severity: 80, 65, 58, 50, 40. Decoders round differently, so pixels may differ from
 * Pillow's by a few levels.
 */
final class JpegCompression extends AbstractCorruption {

    JpegCompression() {
        super("jpeg_compression", "quality", 80, 65, 58, 50, 40);
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        int quality = (int) value(severity);
        long[] s = x.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] v = x.toFloatArray();
        int per = c * h * w;
        try (Codec codec = new Codec()) {
            for (int i = 0; i < n; i++) {
                roundTrip(codec, v, i * per, c, h, w, quality);
            }
        }
        return scope.create(v, x.getShape());
    }

    /** Encodes and decodes one C x H x W image in place (values in [0, 1]). */
    static void roundTrip(float[] v, int offset, int c, int h, int w, int quality) {
        try (Codec codec = new Codec()) {
            roundTrip(codec, v, offset, c, h, w, quality);
        }
    }

    private static void roundTrip(Codec codec, float[] v, int offset, int c, int h, int w, int quality) {
        int plane = h * w;
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int p = 0; p < plane; p++) {
            if (c == 1) {
                px[p] = toByte(v[offset + p]);
            } else { // interleaved B, G, R
                px[3 * p] = toByte(v[offset + 2 * plane + p]);
                px[3 * p + 1] = toByte(v[offset + plane + p]);
                px[3 * p + 2] = toByte(v[offset + p]);
            }
        }
        BufferedImage back = codec.decode(codec.encode(img, quality));
        if (back.getWidth() != w || back.getHeight() != h) {
            throw new IllegalStateException("JPEG round trip changed the size " + w + "x" + h + " to "
                    + back.getWidth() + "x" + back.getHeight());
        }
        var raster = back.getRaster();
        int bands = raster.getNumBands();
        int[] pixel = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, pixel);
                int p = y * w + x;
                if (c == 1) {
                    v[offset + p] = pixel[0] / 255f;
                } else { // decoded as RGB bands (R, G, B)
                    for (int k = 0; k < 3; k++) {
                        v[offset + k * plane + p] = pixel[Math.min(k, bands - 1)] / 255f;
                    }
                }
            }
        }
    }

    /** One ImageIO JPEG writer and reader, reused for a batch (creating them costs more than coding 32 px). */
    static final class Codec implements AutoCloseable {
        private final ImageWriter writer;
        private final ImageReader reader;

        Codec() {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!writers.hasNext() || !readers.hasNext()) {
                throw new IllegalStateException("this JDK has no ImageIO JPEG writer and reader");
            }
            writer = writers.next();
            reader = readers.next();
        }

        byte[] encode(BufferedImage img, int quality) {
            try {
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                    writer.setOutput(out);
                    writer.write(null, new IIOImage(img, null, null), param);
                }
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException("JPEG encoding in memory failed", e);
            }
        }

        BufferedImage decode(byte[] jpeg) {
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
                reader.setInput(in);
                return reader.read(0);
            } catch (IOException e) {
                throw new UncheckedIOException("JPEG decoding in memory failed", e);
            }
        }

        @Override
        public void close() {
            writer.dispose();
            reader.dispose();
        }
    }

    private static byte toByte(float f) {
        return (byte) Math.round(Math.max(0f, Math.min(1f, f)) * 255f);
    }
}
