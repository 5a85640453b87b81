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
}
