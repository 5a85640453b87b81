package dialtone.server;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * A complete HTTP response built by a handler on a worker thread.
 *
 * @param delayMillis how long the listener waits before writing it (a throttled client's back-off);
 *                    the wait is a timer on the event loop, never a blocked worker
 */
public record Response(int status, HttpHeaders headers, byte[] body, long delayMillis) {

    public Response(int status, HttpHeaders headers, byte[] body) {
        this(status, headers, body, 0);
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
        return new Response(status, headers, body, Math.max(0, millis));
    }
}
