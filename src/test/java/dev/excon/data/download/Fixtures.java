package dev.excon.data.download;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Small synthetic archives shaped like the real ones, built in memory with fixed seeds. */
final class Fixtures {

    private Fixtures() {}

    /** A tar entry: a file, a symbolic link or a hard link ({@code type} is a {@link TarConstants} flag). */
    record Entry(String name, byte[] content, byte type, String linkName) {
        static Entry file(String name, byte[] content) {
            return new Entry(name, content, TarConstants.LF_NORMAL, null);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, new byte[0], TarConstants.LF_SYMLINK, target);
        }

        static Entry hardLink(String name, String target) {
            return new Entry(name, new byte[0], TarConstants.LF_LINK, target);
        }
    }

    /** The four files of CIFAR-100 binary, a few KB of seeded random records and two label lists. */
    static Map<String, byte[]> cifar100Files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("cifar-100-binary/train.bin", random(3 * 3074, 1));
        files.put("cifar-100-binary/test.bin", random(2 * 3074, 2));
        files.put("cifar-100-binary/fine_label_names.txt", "apple\naquarium_fish\nbaby\n".getBytes(StandardCharsets.US_ASCII));
        files.put("cifar-100-binary/coarse_label_names.txt", "aquatic_mammals\nfish\n".getBytes(StandardCharsets.US_ASCII));
        return files;
    }

    /** The proof files of Tiny ImageNet plus one image-sized blob. */
    static Map<String, byte[]> tinyImageNetFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("tiny-imagenet-200/wnids.txt", "n01443537\n".getBytes(StandardCharsets.US_ASCII));
        files.put("tiny-imagenet-200/words.txt", "n01443537\tgoldfish\n".getBytes(StandardCharsets.US_ASCII));
        files.put("tiny-imagenet-200/train/n01443537/images/n01443537_0.JPEG", random(2048, 3));
        files.put("tiny-imagenet-200/val/val_annotations.txt",
                "val_0.JPEG\tn01443537\t0\t0\t63\t63\n".getBytes(StandardCharsets.US_ASCII));
        files.put("tiny-imagenet-200/test/images/test_0.JPEG", random(1024, 4));
        return files;
    }

    /** A gzip-compressed tar of {@code files} (name to content), in map order. */
    static byte[] tarGz(Map<String, byte[]> files) {
        return gzip(tar(files.entrySet().stream().map(e -> Entry.file(e.getKey(), e.getValue())).toList()));
    }

    /** An uncompressed tar of {@code entries}; names are stored exactly as given, absolute ones included. */
    static byte[] tar(Iterable<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.linkName() != null) {
                    t.setLinkName(e.linkName());
                } else {
                    t.setSize(e.content().length);
                }
                tar.putArchiveEntry(t);
                if (e.linkName() == null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A zip of {@code files} (name to content), names stored exactly as given. */
    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A zip whose entries are stored, not deflated: a changed byte in the archive is the same change in the file. */
    static byte[] storedZip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putArchiveEntry(entry);
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** gzip with stored deflate blocks (no compression), so that content bytes appear in the file as they are. */
    static byte[] gzipStored(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Flips {@code count} bytes of {@code archive} starting where {@code marker} first occurs. */
    static byte[] flipAt(byte[] archive, byte[] marker, int count) {
        int at = -1;
        for (int i = 0; i + marker.length <= archive.length && at < 0; i++) {
            if (java.util.Arrays.equals(archive, i, i + marker.length, marker, 0, marker.length)) {
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("marker not found in the archive");
        }
        byte[] out = archive.clone();
        for (int i = at; i < at + count; i++) {
            out[i] ^= (byte) 0xFF;
        }
        return out;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    static String md5(byte[] data) {
        return digest("MD5", data);
    }

    private static String digest(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
