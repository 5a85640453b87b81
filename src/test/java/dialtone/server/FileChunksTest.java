package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChunksTest {

    @TempDir
    Path dir;

    private Path fileOf(int size) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return Files.write(dir.resolve("firmware.bin"), bytes);
    }

    @Test
    void aSliceIsReadInChunksOfAtMostTheChunkSizeUpToItsEnd() throws Exception {
        Path file = fileOf(1000);
        FileChunks chunks = FileChunks.open(new FileSlice(file, 100, 650), 256);
        int total = 0;
        int first = -1;
        while (!chunks.isEndOfInput()) {
            ByteBuf chunk = chunks.readChunk(ByteBufAllocator.DEFAULT);
            assertThat(chunk.readableBytes()).isLessThanOrEqualTo(256);
            if (first < 0) {
                first = chunk.getUnsignedByte(0);
            }
            total += chunk.readableBytes();
            chunk.release();
        }
        chunks.close();

        assertThat(total).isEqualTo(650);
        assertThat(first).isEqualTo(100);
    }

    @Test
    void aFileShorterThanTheSliceIsRefusedAtOpening() throws Exception {
        Path file = fileOf(1000);

        assertThatThrownBy(() -> FileChunks.open(new FileSlice(file, 500, 501), 256)).isInstanceOf(IOException.class);
    }

    @Test
    void aFileCutShortWhileBeingSentFailsInsteadOfYieldingEmptyChunks() throws Exception {
        Path file = fileOf(1000);
        FileChunks chunks = FileChunks.open(new FileSlice(file, 0, 1000), 256);
        chunks.readChunk(ByteBufAllocator.DEFAULT).release();
        // Overwritten in place (as cp does): truncated, then shorter content.
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            out.truncate(300);
        }

        assertThatThrownBy(() -> chunks.readChunk(ByteBufAllocator.DEFAULT)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> chunks.readChunk(ByteBufAllocator.DEFAULT)).isInstanceOf(IOException.class);
        chunks.close();
    }
}
