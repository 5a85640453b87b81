package dialtone.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * A file slice read chunk by chunk for the chunked writer, failing (and so closing the file and the connection)
 * when the file turns out shorter than the slice: a file overwritten in place while it is being sent would
 * otherwise yield empty chunks for ever, spinning the event loop.
 */
final class FileChunks implements ChunkedInput<ByteBuf> {

    private final ChunkedNioFile file;
    private final int chunkBytes;

    private FileChunks(ChunkedNioFile file, int chunkBytes) {
        this.file = file;
        this.chunkBytes = chunkBytes;
    }

    /** Opens the slice's file, checking that it is still long enough. */
    static FileChunks open(FileSlice slice, int chunkBytes) throws IOException {
        FileChannel channel = FileChannel.open(slice.path(), StandardOpenOption.READ);
        try {
            if (channel.size() < slice.offset() + slice.length()) {
                throw new IOException("the file is shorter than when it was looked at");
            }
            return new FileChunks(new ChunkedNioFile(channel, slice.offset(), slice.length(), chunkBytes), chunkBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean isEndOfInput() throws Exception {
        return file.isEndOfInput();
    }

    @Override
    public void close() throws Exception {
        file.close();
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        long expected = Math.min(chunkBytes, file.length() - file.progress());
        ByteBuf chunk = file.readChunk(allocator);
        if (chunk != null && chunk.readableBytes() < expected) {
            chunk.release();
            throw new IOException("the file became shorter while it was being sent");
        }
        return chunk;
    }

    @Override
    public long length() {
        return file.length();
    }

    @Override
    public long progress() {
        return file.progress();
    }
}
