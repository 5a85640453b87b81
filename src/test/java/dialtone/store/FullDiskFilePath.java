package dialtone.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2 files ({@code jdbc:h2:test-full-disk:...}) whose writes fail as the kernel fails them on a full disk
 * while {@link #full} is set: what H2 sees on ENOSPC, without filling a real disk.
 */
public final class FullDiskFilePath extends FilePathWrapper {

    static volatile boolean full;

    static void register() {
        FilePath.register(new FullDiskFilePath());
    }

    @Override
    public String getScheme() {
        return "test-full-disk";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    private static final class Channel extends ForwardingFileChannel {

        Channel(FileChannel channel) {
            super(channel);
        }

        private static void failIfFull() throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            failIfFull();
            return channel.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            failIfFull();
            return channel.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            failIfFull();
            channel.force(metaData);
        }
    }
}
