package dev.excon.data.verify;

import dev.excon.data.download.Checksum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four Fashion-MNIST files as Zalando publishes them (https://github.com/zalandoresearch/fashion-mnist, "Get the
 * Data": file name and MD5 checksum).
 */
final class FashionMnistChecksums {

    /** Where the MD5s are published. */
    static final String PUBLISHED_AT = "https://github.com/zalandoresearch/fashion-mnist#get-the-data";

    /**
     * One published file.
     *
     * @param base the file name without {@code .gz}
     * @param md5 the published MD5 of {@code base.gz}
     * @param gzipTime the modification time in the published file's gzip header (seconds since 1970). Read from the
     *     label files in the zalandoresearch/fashion-mnist repository (which match the published MD5s); for the image
     *     files, the time that with the same header layout gives the published MD5 over Debian's compressed data.
     * @param contentSha256 SHA-256 of the decompressed file, derived from copies that match the published MD5s
     */
    record Published(String base, String md5, int gzipTime, String contentSha256) {

        /** {@code 1f 8b}, deflate, FNAME set, the time, no extra flags, Unix, then the file name and a zero. */
        byte[] gzipHeader() {
            byte[] name = base.getBytes(StandardCharsets.US_ASCII);
            byte[] h = new byte[10 + name.length + 1];
            h[0] = 0x1f;
            h[1] = (byte) 0x8b;
            h[2] = 8;
            h[3] = 8;
            for (int i = 0; i < 4; i++) {
                h[4 + i] = (byte) (gzipTime >>> (8 * i));
            }
            h[8] = 0;
            h[9] = 3;
            System.arraycopy(name, 0, h, 10, name.length);
            return h;
        }
    }

    static final List<Published> FILES = List.of(
            new Published("train-images-idx3-ubyte", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", 0x59a7e9de,
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            new Published("train-labels-idx1-ubyte", "25c81989df183df01b3e8a0aad5dffbe", 0x59a7e9de,
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            new Published("t10k-images-idx3-ubyte", "bef4ecab320f06d8554ea6380940ec79", 0x59a7e9f3,
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            new Published("t10k-labels-idx1-ubyte", "bb300cfdad3c16e7a12a480ee83cd310", 0x59a7e9f3,
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

    private static final String AS_PUBLISHED = "the MD5 Zalando publishes (" + PUBLISHED_AT + ")";
    private static final String HEADER_RESTORED = "the MD5 Zalando publishes once the gzip header is put back"
            + " (Debian's packaging rewrote only the header's file name and time stamp; the compressed data, CRC-32"
            + " and length are the published ones)";
    private static final String CONTENT = "the SHA-256 of the published file's decompressed content";

    private FashionMnistChecksums() {}

    /**
     * What to check in {@code dir}: each {@code .gz} file, else its uncompressed twin (what the reader reads); the
     * names of files present in neither form go to {@code missing}.
     */
    static List<ExpectedFile> expected(Path dir, List<String> missing) {
        List<ExpectedFile> files = new ArrayList<>();
        for (Published p : FILES) {
            if (Files.isRegularFile(dir.resolve(p.base() + ".gz"))) {
                files.add(new ExpectedFile(p.base() + ".gz", Checksum.md5(p.md5()), AS_PUBLISHED, p.gzipHeader(),
                        HEADER_RESTORED));
            } else if (Files.isRegularFile(dir.resolve(p.base()))) {
                files.add(ExpectedFile.plain(p.base(), Checksum.sha256(p.contentSha256()), CONTENT));
            } else {
                missing.add(p.base() + ".gz");
            }
        }
        return files;
    }
}
