package dev.excon.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Tiny ImageNet (the 200-class, 64 x 64 subset of ImageNet from Stanford's CS231n,
 * http://cs231n.stanford.edu/tiny-imagenet-200.zip) from its official layout {@code tiny-imagenet-200/}:
 *
 * <ul>
 *   <li>{@code wnids.txt}: the 200 WordNet ids; label = index of the wnid in the <em>sorted</em> list, which is the
 *       {@code class_to_idx} torchvision's {@code ImageFolder} gives the {@code train/} folder (as in the reference).
 *   <li>{@code words.txt}: {@code wnid TAB synonyms}; the class name is the first comma-separated synonym (the wnid
 *       itself when the file is absent).
 *   <li>{@code train/<wnid>/images/*.JPEG}: 500 per class, read class by class in file-name order.
 *   <li>{@code val/images/*.JPEG} with {@code val/val_annotations.txt} ({@code file TAB wnid TAB x0 TAB y0 TAB x1
 *       TAB y1}): 10,000 images, used as the test set (the official test set has no labels), in annotation order.
 * </ul>
 *
 * <p>Images are 3 x 64 x 64 uint8; grayscale JPEGs are repeated to RGB. JPEGs are decoded in parallel. The
 * validation bounding boxes are kept ({@link #testBoxes()}).
 */
public final class TinyImageNet {

    /** Image side in pixels. */
    public static final int SIDE = 64;

    static final String FIX = "run make download DATASET=tiny-imagenet, or download http://cs231n.stanford.edu/tiny-imagenet-200.zip and unzip it so that this"
            + " directory exists, or set EXCON_TINY_IMAGENET to the unzipped tiny-imagenet-200 directory";
    private static final String EXPECTED = "wnids.txt, words.txt, train/<wnid>/images/*.JPEG, val/images/*.JPEG"
            + " and val/val_annotations.txt";
    private static final String TITLE = "Tiny ImageNet";

    private final ImageDataset train;
    private final ImageDataset test;
    private final List<String> wnids;
    private final List<BoundingBox> testBoxes;
    private final List<Path> testFiles;

    private TinyImageNet(ImageDataset train, ImageDataset test, List<String> wnids, List<BoundingBox> testBoxes,
            List<Path> testFiles) {
        this.train = train;
        this.test = test;
        this.wnids = wnids;
        this.testBoxes = testBoxes;
        this.testFiles = testFiles;
    }

    /** Loads Tiny ImageNet from {@link DataPaths#tinyImageNet()}. */
    public static TinyImageNet load() {
        return load(DataPaths.tinyImageNet());
    }

    /**
     * Loads Tiny ImageNet from {@code dir}: parts {@code tiny-imagenet/train} (100,000 images) and {@code
     * tiny-imagenet/val} (10,000 images), 3 x 64 x 64 uint8, 200 classes.
     *
     * @throws DatasetException if a file or class folder is missing, an annotation line is malformed or names an
     *     unknown wnid or a missing image, or an image cannot be decoded or is not 64 x 64
     */
    public static TinyImageNet load(Path dir) {
        DataFiles.requireDirectory(dir, TITLE, EXPECTED, FIX);
        List<String> wnids = readWnids(DataFiles.requireFile(dir, "wnids.txt", TITLE, EXPECTED, FIX));
        List<String> names = classNames(dir.resolve("words.txt"), wnids);
        Map<String, Integer> labelOf = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) {
            labelOf.put(wnids.get(i), i);
        }

        List<Path> trainFiles = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        for (int c = 0; c < wnids.size(); c++) {
            Path images = dir.resolve("train").resolve(wnids.get(c)).resolve("images");
            List<Path> files = jpegsIn(images);
            if (files.isEmpty()) {
                throw new DatasetException(TITLE + " under " + dir + ": class folder " + images + " (wnid "
                        + wnids.get(c) + " from wnids.txt) is missing or holds no images; expected " + EXPECTED
                        + "; " + FIX);
            }
            trainFiles.addAll(files);
            trainLabels.addAll(Collections.nCopies(files.size(), c));
        }

        Path annotations = dir.resolve("val").resolve("val_annotations.txt");
        if (!Files.isRegularFile(annotations)) {
            throw new DatasetException(TITLE + " under " + dir + " is missing val/val_annotations.txt: expected "
                    + EXPECTED + "; " + FIX);
        }
        List<Path> testFiles = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        List<BoundingBox> boxes = new ArrayList<>();
        readAnnotations(annotations, dir.resolve("val").resolve("images"), labelOf, testFiles, testLabels, boxes);

        ImageDataset train = decode("tiny-imagenet/train", trainFiles, trainLabels, names);
        ImageDataset test = decode("tiny-imagenet/val", testFiles, testLabels, names);
        return new TinyImageNet(train, test, List.copyOf(wnids), List.copyOf(boxes), List.copyOf(testFiles));
    }

    /** The training images ({@code train/}). */
    public ImageDataset train() {
        return train;
    }

    /** The official validation images ({@code val/}), used as the test set. */
    public ImageDataset test() {
        return test;
    }

    /** {@link #train()} and {@link #test()} together. */
    public TrainTest trainTest() {
        return new TrainTest(train, test);
    }

    /** The wnids in label order (sorted). */
    public List<String> wnids() {
        return wnids;
    }

    /** The bounding box of each test image, index = test image index (from {@code val_annotations.txt}). */
    public List<BoundingBox> testBoxes() {
        return testBoxes;
    }

    /** The file of each test image, index = test image index. */
    public List<Path> testFiles() {
        return testFiles;
    }

    private static List<String> readWnids(Path file) {
        List<String> wnids = new ArrayList<>();
        for (String line : lines(file)) {
            String w = line.strip();
            if (w.isEmpty()) {
                continue;
            }
            if (wnids.contains(w)) {
                throw new DatasetException(file + " lists wnid " + w + " twice; restore the original file");
            }
            wnids.add(w);
        }
        if (wnids.isEmpty()) {
            throw new DatasetException(file + " lists no wnids; expected one WordNet id per line; " + FIX);
        }
        Collections.sort(wnids);
        return wnids;
    }

    /** First synonym from words.txt for each wnid; the wnid itself when absent. */
    private static List<String> classNames(Path words, List<String> wnids) {
        Map<String, String> first = new HashMap<>();
        if (Files.isRegularFile(words)) {
            for (String line : lines(words)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    String synonyms = line.substring(tab + 1);
                    int comma = synonyms.indexOf(',');
                    first.put(line.substring(0, tab).strip(),
                            (comma >= 0 ? synonyms.substring(0, comma) : synonyms).strip());
                }
            }
        }
        List<String> names = new ArrayList<>(wnids.size());
        for (String w : wnids) {
            names.add(first.getOrDefault(w, w));
        }
        return names;
    }

    private static void readAnnotations(Path file, Path imageDir, Map<String, Integer> labelOf, List<Path> files,
            List<Integer> labels, List<BoundingBox> boxes) {
        List<String> lines = lines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String where = file + " line " + (n + 1);
            String[] f = line.strip().split("\t");
            if (f.length != 6) {
                throw new DatasetException(where + " has " + f.length + " tab-separated fields, expected 6 (file,"
                        + " wnid, x0, y0, x1, y1): \"" + line + "\"; restore the original file");
            }
            Integer label = labelOf.get(f[1]);
            if (label == null) {
                throw new DatasetException(where + " names wnid " + f[1] + ", which is not in wnids.txt; the"
                        + " annotation file and wnids.txt come from different releases, restore the original files");
            }
            int[] box = new int[4];
            for (int k = 0; k < 4; k++) {
                try {
                    box[k] = Integer.parseInt(f[2 + k].strip());
                } catch (NumberFormatException e) {
                    throw new DatasetException(where + ": box coordinate \"" + f[2 + k]
                            + "\" is not an integer; restore the original file", e);
                }
            }
            Path image = imageDir.resolve(f[0]);
            if (!Files.isRegularFile(image)) {
                throw new DatasetException(where + " lists " + f[0] + " but " + image + " does not exist; unzip"
                        + " tiny-imagenet-200.zip again");
            }
            files.add(image);
            labels.add(label);
            boxes.add(new BoundingBox(box[0], box[1], box[2], box[3]));
        }
        if (files.isEmpty()) {
            throw new DatasetException(file + " lists no validation images; restore the original file");
        }
    }

    private static ImageDataset decode(String name, List<Path> files, List<Integer> labelList, List<String> names) {
        int n = files.size();
        int bytes = 3 * SIDE * SIDE;
        byte[] pixels = new byte[Math.multiplyExact(n, bytes)];
        Parallel.forEach(n, i -> {
            Path file = files.get(i);
            BufferedImage img = ImageDecoding.read(file);
            if (img.getWidth() != SIDE || img.getHeight() != SIDE) {
                throw new DatasetException("Tiny ImageNet image " + file + " is " + img.getHeight() + "x"
                        + img.getWidth() + " (height x width), expected 64x64; the file is not from"
                        + " tiny-imagenet-200, restore the original");
            }
            ImageDecoding.toChw(img, 3, pixels, i * bytes);
        });
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        return new ArrayImageDataset(name, pixels, labels, 3, SIDE, SIDE, names);
    }

    /** The {@code .JPEG} (any case) files directly in {@code dir}, sorted by name; empty if {@code dir} is absent. */
    private static List<Path> jpegsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolder::isImage)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            // Lenient decoding: a stray non-UTF-8 byte in words.txt should not stop the load.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
