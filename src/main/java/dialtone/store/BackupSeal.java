package dialtone.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.crypto.Mac;

/**
 * A backup is an ordinary zip whose comment, the last bytes of the file, carries an HMAC-SHA256 (keyed from the
 * data directory's secret.key) of every byte before the tag. Restore checks the tag before it reads anything
 * else, so a backup that was altered, or made by another server, is refused before it is parsed.
 */
public final class BackupSeal {

    /** The purpose the backup key is derived for (see {@code SecretBox.mac}). */
    public static final String PURPOSE = "backup seal v1";
    static final String MARKER = "dialtone-backup-hmac-sha256:";
    private static final int TAG_CHARS = 64;
    private static final HexFormat HEX = HexFormat.of();

    /** One file in the zip. */
    public record Entry(String name, byte[] content) {}

    private BackupSeal() {}

    /** Writes the entries as a zip sealed with {@code mac}. */
    public static byte[] zip(Mac mac, List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Entry entry : entries) {
                zip.putNextEntry(new ZipEntry(entry.name()));
                zip.write(entry.content());
                zip.closeEntry();
            }
            // A placeholder of the tag's length: the tag covers the comment's length field, written now.
            zip.setComment(MARKER + "0".repeat(TAG_CHARS));
        }
        byte[] sealed = bytes.toByteArray();
        int covered = sealed.length - TAG_CHARS;
        mac.update(sealed, 0, covered);
        byte[] tag = HEX.formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, sealed, covered, TAG_CHARS);
        return sealed;
    }

    /**
     * Refuses the file unless it ends with a tag that {@code mac} confirms over everything before it;
     * {@code shownAs} names it in the refusal (the file checked may be a private copy).
     */
    public static void verify(Path file, Mac mac, Path shownAs) throws IOException {
        try (SeekableByteChannel in = Files.newByteChannel(file)) {
            long covered = in.size() - TAG_CHARS;
            if (covered < MARKER.length()) {
                throw notSealed(shownAs);
            }
            ByteBuffer trailer = readFully(in.position(covered - MARKER.length()), MARKER.length() + TAG_CHARS, shownAs);
            byte[] marker = new byte[MARKER.length()];
            byte[] tag = new byte[TAG_CHARS];
            trailer.get(marker).get(tag);
            if (!MARKER.equals(new String(marker, StandardCharsets.US_ASCII))) {
                throw notSealed(shownAs);
            }
            in.position(0);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            for (long left = covered; left > 0; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int n = in.read(buffer);
                if (n < 0) {
                    throw notSealed(shownAs);
                }
                mac.update(buffer.flip());
                left -= n;
            }
            byte[] expected = HEX.formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, tag)) {
                throw new IOException(shownAs + " does not carry this data directory's seal: it was altered after the "
                        + "backup, or it was taken by a server with another secret.key (put back the secret.key "
                        + "that belongs to the backup, then restore again)");
            }
        }
    }

    private static ByteBuffer readFully(SeekableByteChannel in, int length, Path shownAs) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw notSealed(shownAs);
            }
        }
        return buffer.flip();
    }

    private static IOException notSealed(Path file) {
        return new IOException(file + " is not a sealed Dialtone backup (taken with 'dialtone backup')");
    }
}
