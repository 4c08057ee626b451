package dev.excon.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A generic {@code root/<class>/<images>} reader, the layout of torchvision's {@code ImageFolder}: classes are the
 * sub-folder names in sorted order (label = position), images are the files with extension {@code png}, {@code jpg},
 * {@code jpeg}, {@code bmp} or {@code gif} (any case) found anywhere under a class folder, in sorted path order.
 * Hidden files and folders (names starting with {@code .}) are ignored. Files are decoded in parallel.
 *
 * <p>One-line use: {@code ImageFolder.load(root)} (3 channels, every image must have the same size). Full control:
 * {@code ImageFolder.builder().setRoot(root).optChannels(1).optSize(28, 28).build()}.
 */
public final class ImageFolder {

    /** The file extensions read, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final int channels;
    private final int height;
    private final int width;
    private final String name;

    private ImageFolder(Builder b) {
        this.root = b.root;
        this.channels = b.channels;
        this.height = b.height;
        this.width = b.width;
        this.name = b.name != null ? b.name : nameOf(b.root);
    }

    /**
     * Reads {@code root} as RGB (3 channels) at the images' own size, which all images must share.
     *
     * @throws DatasetException if the folder is missing or empty, a class folder holds no images, an image cannot
     *     be decoded, or images differ in size
     */
    public static ImageDataset load(Path root) {
        return builder().setRoot(root).build();
    }

    /** A builder; {@link Builder#setRoot} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link ImageFolder}. */
    public static final class Builder {
        private Path root;
        private int channels = 3;
        private int height;
        private int width;
        private String name;

        private Builder() {}

        /** The folder holding one sub-folder per class (required). */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /** 3 (RGB, default; gray images are repeated) or 1 (gray; RGB images become ITU-R 601-2 luma). */
        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Resizes every image to {@code height x width}: area averaging when shrinking, bilinear when enlarging.
         * Default: no resizing, and all images must share one size.
         */
        public Builder optSize(int height, int width) {
            this.height = height;
            this.width = width;
            return this;
        }

        /** The data set's name; default the root folder's name. */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Validates the options and reads the folder.
         *
         * @throws IllegalArgumentException if the root is unset, channels is not 1 or 3, or the size is not positive
         * @throws DatasetException if the folder cannot be read; see {@link ImageFolder#load(Path)}
         */
        public ImageDataset build() {
            if (root == null) {
                throw new IllegalArgumentException("ImageFolder: call setRoot(path) before build()");
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("ImageFolder: channels=" + channels + ", expected 1 or 3");
            }
            if ((height != 0 || width != 0) && (height <= 0 || width <= 0)) {
                throw new IllegalArgumentException(
                        "ImageFolder: size " + height + "x" + width + " must be positive (height x width)");
            }
            return new ImageFolder(this).read();
        }
    }

    private ImageDataset read() {
        String expected = "one sub-folder per class holding " + String.join("/", sortedExtensions()) + " images";
        String fix = "create " + root + "/<class name>/ folders and put the images inside";
        DataFiles.requireDirectory(root, "Image folder", expected, fix);
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException("cannot list " + root + ": " + e.getMessage(), e);
        }
        if (classDirs.isEmpty()) {
            throw new DatasetException(
                    "image folder " + root + " has no class sub-folders: expected " + expected + "; " + fix);
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = imagesUnder(dir);
            if (images.isEmpty()) {
                throw new DatasetException("class folder " + dir + " holds no images (expected files ending in "
                        + String.join(", ", sortedExtensions()) + "); add images or remove the folder");
            }
            for (Path f : images) {
                files.add(f);
                labelList.add(classNames.size());
            }
            classNames.add(dir.getFileName().toString());
        }
        int n = files.size();
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        if (height > 0) {
            byte[] pixels = new byte[Math.multiplyExact(n, channels * height * width)];
            Parallel.forEach(n, i -> {
                BufferedImage img = ImageDecoding.read(files.get(i));
                byte[] chw = new byte[channels * img.getHeight() * img.getWidth()];
                ImageDecoding.toChw(img, channels, chw, 0);
                byte[] sized = Resize.resize(chw, channels, img.getHeight(), img.getWidth(), height, width);
                System.arraycopy(sized, 0, pixels, i * channels * height * width, sized.length);
            });
            return new ArrayImageDataset(name, pixels, labels, channels, height, width, classNames);
        }
        // No target size: decode at native size, then insist on one size (checked in file order, so the error
        // always names the first odd file).
        byte[][] decoded = new byte[n][];
        int[] heights = new int[n];
        int[] widths = new int[n];
        Parallel.forEach(n, i -> {
            BufferedImage img = ImageDecoding.read(files.get(i));
            heights[i] = img.getHeight();
            widths[i] = img.getWidth();
            decoded[i] = new byte[channels * img.getHeight() * img.getWidth()];
            ImageDecoding.toChw(img, channels, decoded[i], 0);
        });
        for (int i = 1; i < n; i++) {
            if (heights[i] != heights[0] || widths[i] != widths[0]) {
                throw new DatasetException("images under " + root + " differ in size: " + files.get(0) + " is "
                        + heights[0] + "x" + widths[0] + " (height x width) but " + files.get(i) + " is "
                        + heights[i] + "x" + widths[i] + "; resize the images to one size or set a target size with"
                        + " ImageFolder.builder().setRoot(root).optSize(height, width)");
            }
        }
        int bytes = channels * heights[0] * widths[0];
        byte[] pixels = new byte[Math.multiplyExact(n, bytes)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(decoded[i], 0, pixels, i * bytes, bytes);
        }
        return new ArrayImageDataset(name, pixels, labels, channels, heights[0], widths[0], classNames);
    }

    /**
     * Image files anywhere under {@code dir}, sorted by path (folder by folder, like torchvision's walk); symbolic
     * links are followed, as torchvision does, since data sets are often linked in.
     */
    private static List<Path> imagesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !hidden(p) && isImage(p))
                    .filter(p -> noHiddenFolder(dir, p))
                    .sorted(Comparator.comparing((Path p) -> p.getParent().toString())
                            .thenComparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isImage(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(f.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean noHiddenFolder(Path base, Path file) {
        for (Path part : base.relativize(file.getParent())) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private static List<String> sortedExtensions() {
        return EXTENSIONS.stream().sorted().collect(Collectors.toList());
    }

    private static String nameOf(Path root) {
        Path f = root.toAbsolutePath().normalize().getFileName();
        return f == null ? root.toString() : f.toString();
    }
}
