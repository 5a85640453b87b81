package dialtone.server;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.CompletionStage;

/**
 * A complete HTTP response built by a handler on a worker thread, or the promise of one.
 *
 * @param body the body, unless {@code file} is given (then empty)
 * @param file when not null, the body is this part of a file, streamed from disk when the answer is written
 * @param delayMillis how long the listener waits before writing it (a throttled client's back-off);
 *                    the wait is a timer on the event loop, never a blocked worker
 * @param later when not null, the response to write once it completes (the other fields are unused): work
 *              that waits on something slow (a phone's SIP answer) then holds no worker
 */
public record Response(int status, HttpHeaders headers, byte[] body, FileSlice file, long delayMillis,
        CompletionStage<Response> later) {

    public Response(int status, HttpHeaders headers, byte[] body) {
        this(status, headers, body, null, 0, null);
    }

    /** The response {@code later} completes with; a failure is answered like one thrown by a handler. */
    public static Response later(CompletionStage<Response> later) {
        return new Response(0, new DefaultHttpHeaders(), new byte[0], null, 0, later);
    }

    /** An answer whose body is part of a file on disk, streamed when written (never read whole into memory). */
    public static Response file(int status, String contentType, FileSlice file) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Content-Type", contentType);
        return new Response(status, headers, new byte[0], file, 0, null);
    }

    /** How many bytes the body has. */
    public long contentLength() {
        return file != null ? file.length() : body.length;
    }

    public static Response of(int status, String contentType, byte[] body) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (contentType != null) {
            headers.set("Content-Type", contentType);
        }
        return new Response(status, headers, body);
    }

    public static Response empty(int status) {
        return new Response(status, new DefaultHttpHeaders(), new byte[0]);
    }

    public Response withHeader(String name, Object value) {
        headers.add(name, value);
        return this;
    }

    public Response delayedBy(long millis) {
        return new Response(status, headers, body, file, Math.max(0, millis), later);
    }
}
