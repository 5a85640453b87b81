package dialtone.server;

/** Application logic behind a listener; runs on a worker thread, may block. */
@FunctionalInterface
public interface RequestHandler {
    Response handle(Request request) throws Exception;

    /**
     * The largest body a request for this method and path may carry, judged from its head before any body
     * is read (on the event loop: must be quick and never block). Capped by the listener's limit.
     */
    default long maxBodyBytes(String method, String rawPath) {
        return Long.MAX_VALUE;
    }

    /**
     * The answer, if it can be given at once without blocking (no database, no rendering, no disk): runs on
     * the event loop, so that such an answer costs no hand-over between threads. Null sends the request to
     * {@link #handle} on the worker pool, which must then answer it as if this had not been called.
     */
    default Response answerAtOnce(Request request) {
        return null;
    }

    /**
     * Told of each TLS handshake on the listener, on the event loop (must be quick): the protocol agreed
     * ({@code TLSv1.3}, {@code TLSv1.2}; {@code unknown} for a handshake that did not complete), and how it ended.
     */
    default void tlsHandshake(String protocol, Handshake outcome) {}

    /** How a TLS handshake ended. */
    enum Handshake {
        /** Completed. */
        OK,
        /** Refused or broken: no common protocol or suite, a bad message, an alert from the client. */
        FAILED,
        /** Not finished within {@code server.handshake-timeout-ms}. */
        TIMEOUT,
        /** The client closed the connection before finishing (a port probe, a health check over TCP). */
        CLOSED
    }
}
