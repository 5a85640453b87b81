package dialtone.server;

import java.nio.file.Path;

/**
 * Part of a file on disk that a response carries as its body: {@code length} bytes from {@code offset}. The
 * listener opens it only when it writes the answer and streams it in chunks, so it is never whole in memory,
 * and closes it when the answer is written or the connection goes away.
 */
public record FileSlice(Path path, long offset, long length) {

    public FileSlice {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("a file slice has no negative offset or length");
        }
    }
}
