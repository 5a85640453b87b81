package dialtone.server;

/** Application logic behind a listener; runs on a worker thread, may block. */
@FunctionalInterface
public interface RequestHandler {
    Response handle(Request request) throws Exception;
}
