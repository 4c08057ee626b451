package dev.excon.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Small generated data sets in the official CIFAR-100 binary and Tiny ImageNet layouts, for end-to-end tests. */
public final class OfficialLayouts {

    private OfficialLayouts() {}

    /** CIFAR-100 binary: per record a coarse and a fine label byte, then 3072 pixel bytes (R, G, B planes). */
    public static void writeCifar100(Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(100);
        for (String[] part : new String[][] {{"train.bin", "5"}, {"test.bin", "2"}}) {
            int perClass = Integer.parseInt(part[1]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] px = new byte[3072];
            for (int k = 0; k < perClass; k++) {
                for (int c = 0; c < 100; c++) {
                    out.write(c / 5);
                    out.write(c);
                    rnd.nextBytes(px);
                    out.writeBytes(px);
                }
            }
            Files.write(dir.resolve(part[0]), out.toByteArray());
        }
        StringBuilder fine = new StringBuilder();
        StringBuilder coarse = new StringBuilder();
        for (int c = 0; c < 100; c++) {
            fine.append("class_").append(c).append('\n');
        }
        for (int c = 0; c < 20; c++) {
            coarse.append("superclass_").append(c).append('\n');
        }
        Files.writeString(dir.resolve("fine_label_names.txt"), fine);
        Files.writeString(dir.resolve("coarse_label_names.txt"), coarse);
    }

    /** Tiny ImageNet: wnids.txt, words.txt, train/WNID/images/*.JPEG, val/images + val_annotations.txt; 64x64. */
    public static void writeTinyImageNet(Path root) throws IOException {
        SplittableRandom rnd = new SplittableRandom(200);
        StringBuilder wnids = new StringBuilder();
        StringBuilder words = new StringBuilder();
        StringBuilder val = new StringBuilder();
        for (int c = 0; c < 200; c++) {
            String wnid = String.format("n%08d", 1000 + c);
            wnids.append(wnid).append('\n');
            words.append(wnid).append("\tthing ").append(c).append('\n');
            for (int k = 0; k < 3; k++) {
                jpeg(root.resolve("train/" + wnid + "/images/" + wnid + "_" + k + ".JPEG"), noise(rnd));
            }
            Files.writeString(root.resolve("train/" + wnid + "/" + wnid + "_boxes.txt"), "");
            String v = "val_" + c + ".JPEG";
            jpeg(root.resolve("val/images/" + v), noise(rnd));
            val.append(v).append('\t').append(wnid).append("\t0\t0\t63\t63\n");
        }
        Files.writeString(root.resolve("wnids.txt"), wnids);
        Files.writeString(root.resolve("words.txt"), words);
        Files.writeString(root.resolve("val/val_annotations.txt"), val);
    }

    private static BufferedImage noise(SplittableRandom rnd) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        return img;
    }

    private static void jpeg(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "jpg", file.toFile())) {
            throw new IOException("no JPEG writer");
        }
    }
}
