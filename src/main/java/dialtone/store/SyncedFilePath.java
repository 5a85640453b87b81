package dialtone.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's pluggable file system, made durable: every write to a database file ({@code .mv.db}) is forced to
 * the storage device before the write returns. H2's MVStore never forces its file on commit (only when it
 * closes or compacts), so without this a commit lives in the operating system's page cache for up to half
 * a minute, and a power cut loses it. With {@code WRITE_DELAY=0} H2 writes each commit's chunk before the
 * commit returns (concurrent commits share one chunk, hence one forced write), so a commit returns only
 * once it is on the device. Other files H2 keeps (trace, temporary results) are written as usual.
 *
 * <p>Public with a public constructor because H2 makes one instance per path by reflection.
 */
public final class SyncedFilePath extends FilePathWrapper {

    static final String SCHEME = "dialtone-synced";
    private static final SyncedFilePath PROVIDER = new SyncedFilePath();

    /** Makes the scheme known to H2; safe to call more than once. */
    static void register() {
        FilePath.register(PROVIDER);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel channel = getBase().open(mode);
        return name.endsWith(".mv.db") && !"r".equals(mode) ? new ForcedWrites(channel) : channel;
    }

    /** A channel whose writes and truncations reach the device before they return. */
    private static final class ForcedWrites extends ForwardingFileChannel {

        ForcedWrites(FileChannel channel) {
            super(channel);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int written = channel.write(src);
            channel.force(false);
            return written;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int written = channel.write(src, position);
            channel.force(false);
            return written;
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            channel.force(true);
            return this;
        }
    }
}
