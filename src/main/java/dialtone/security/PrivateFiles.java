package dialtone.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and folders only their owner may read (0600 and 0700), such as keys, the operator token, the
 * database, uploads and backups.
 */
public final class PrivateFiles {

    private PrivateFiles() {}

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** Creates the folder (and missing parents) if needed, and makes it 0700 either way. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /** A new, empty folder with a unique name inside {@code parent}, mode 0700 from its creation on. */
    public static Path newDirectory(Path parent, String prefix) throws IOException {
        return POSIX ? Files.createTempDirectory(parent, prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory(parent, prefix);
    }

    /** Makes an existing file 0600. */
    public static void restrict(Path file) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** Writes a new file that is 0600 from its creation on; fails if it exists. */
    public static void create(Path file, byte[] content) throws IOException {
        createEmpty(file);
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void createEmpty(Path file) throws IOException {
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }

    /** Writes the file (mode 0600) through a temporary sibling, so that it is replaced only once complete. */
    public static void write(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        createEmpty(tmp);
        // Forced to the device before the rename, and the rename after it: a power cut right after the first
        // start must not leave an empty secret.key beside a database whose passwords it sealed.
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (parent != null) {
            forceDirectory(parent);
        }
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory (Windows cannot); its rename is then as durable as it gets.
        }
    }
}
