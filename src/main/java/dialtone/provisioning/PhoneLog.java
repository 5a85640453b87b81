package dialtone.provisioning;

import dialtone.core.Problem;
import dialtone.server.Request;
import dialtone.server.Response;
import dialtone.server.Responses;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The access line: exactly one per phone request, in a fixed key=value form that fail2ban can match:
 * {@code phone-request ip=203.0.113.9 method=GET path=/0015654aa937.cfg status=401 mac=0015654aa937
 * reason=bad-credentials model=yealink-t46s ms=3}. The same fields are the line's key-value pairs, which the JSON
 * log format writes as fields. {@code model} is the registered model of the MAC's device, else the model the path
 * names, else {@code -}; {@code ms} the time spent answering. Failures and refusals are WARN; a challenge (a 401
 * to a request that offered no proof, as every phone's first request does, or whose nonce merely expired) is
 * INFO, so a filter on WARN never bans an office that reboots behind one address ({@code contrib/fail2ban/}).
 * Never a secret and never a config body.
 *
 * <p>The code answering a request notes its outcome ({@link #log}, {@link #challenged}, {@link #model}); the line
 * is written once the answer is decided ({@link #access}), on the thread that decided it.
 */
final class PhoneLog {

    private static final Logger LOG = LoggerFactory.getLogger("dialtone.phone");
    private static final ThreadLocal<Outcome> CURRENT = new ThreadLocal<>();

    /** What the answering code noted about the request in hand. */
    private static final class Outcome {
        int status;
        String mac;
        String reason;
        String model;
        boolean failure;
        boolean noted;
    }

    private PhoneLog() {}

    /**
     * Answers the request through {@code answering} and writes its access line, unless it returns null: then the
     * request is answered, and logged, elsewhere. From the event loop ({@code fromEventLoop}) the same holds for
     * an answer to be given later and for a failure: the worker takes the request up from the start, answers it
     * and writes its one line.
     */
    static Response access(Request request, boolean fromEventLoop, Supplier<Response> answering) {
        Outcome outer = CURRENT.get();
        Outcome outcome = new Outcome();
        CURRENT.set(outcome);
        long start = System.nanoTime();
        Response response = null;
        int failedWith = 0;
        try {
            response = answering.get();
            return response;
        } catch (Problem problem) {
            failedWith = Responses.status(problem.kind());
            throw problem;
        } catch (RuntimeException | Error e) {
            failedWith = 500;
            throw e;
        } finally {
            CURRENT.set(outer);
            boolean answered = fromEventLoop ? failedWith == 0 && response != null && response.delayMillis() == 0
                    : failedWith != 0 || response != null;
            if (answered) {
                int status = failedWith != 0 ? failedWith : outcome.noted ? outcome.status : response.status();
                write(request, status, outcome, (System.nanoTime() - start) / 1_000_000, failedWith != 0 || status >= 400
                        && (!outcome.noted || outcome.failure));
            }
        }
    }

    /** Notes the outcome of the request in hand; a status of 400 or more is a failure (WARN). */
    static void log(Request request, int status, String mac, String reason) {
        note(status, mac, reason, status >= 400);
    }

    /** A 401 that asks for proof where none was offered: part of every phone's boot, not a failure. */
    static void challenged(Request request, String mac, String reason) {
        note(401, mac, reason, false);
    }

    /** Notes the model of the request in hand: the device's registered model, or the one its path names. */
    static void model(String model) {
        Outcome outcome = CURRENT.get();
        if (outcome != null && model != null) {
            outcome.model = model;
        }
    }

    private static void note(int status, String mac, String reason, boolean failure) {
        Outcome outcome = CURRENT.get();
        if (outcome == null) {
            return;
        }
        outcome.status = status;
        outcome.mac = mac;
        outcome.reason = reason;
        outcome.failure = failure;
        outcome.noted = true;
    }

    private static void write(Request request, int status, Outcome outcome, long millis, boolean failure) {
        String ip = request.clientAddress().getHostAddress();
        String method = clean(request.method());
        String path = clean(request.rawPath());
        String mac = outcome.mac == null ? "-" : outcome.mac;
        String reason = outcome.reason == null ? "-" : clean(outcome.reason);
        String model = outcome.model == null ? "-" : clean(outcome.model);
        // Written out here rather than through a message pattern: one line per phone request, on the event loop,
        // where parsing the pattern and boxing its arguments cost more than the line itself.
        String line = new StringBuilder(160).append("phone-request ip=").append(ip).append(" method=").append(method)
                .append(" path=").append(path).append(" status=").append(status).append(" mac=").append(mac)
                .append(" reason=").append(reason).append(" model=").append(model).append(" ms=").append(millis)
                .toString();
        LoggingEventBuilder event = failure ? LOG.atWarn() : LOG.atInfo();
        event.addKeyValue("ip", ip).addKeyValue("method", method).addKeyValue("path", path)
                .addKeyValue("status", status).addKeyValue("mac", mac).addKeyValue("reason", reason)
                .addKeyValue("model", model).addKeyValue("ms", millis)
                .log(line);
    }

    /** Keeps a hostile path from forging log lines or smuggling terminal escapes. */
    private static String clean(String text) {
        if (text.length() <= 200 && allVisible(text)) {
            return text;
        }
        String shortened = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        StringBuilder out = new StringBuilder(shortened.length());
        for (int i = 0; i < shortened.length(); i++) {
            char c = shortened.charAt(i);
            out.append(visible(c) ? c : '?');
        }
        return out.toString();
    }

    private static boolean allVisible(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!visible(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Printable ASCII without the space: what a log line may carry of a request as it came. */
    private static boolean visible(int c) {
        return c >= 0x21 && c <= 0x7e;
    }
}
