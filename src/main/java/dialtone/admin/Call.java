package dialtone.admin;

import dialtone.core.FieldError;
import dialtone.core.Problem;
import dialtone.directory.Page;
import dialtone.server.Request;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** One authenticated admin request: the request and the caller its token names. */
record Call(Request request, Caller caller) {

    String queryParam(String name) {
        return request.queryParam(name);
    }

    byte[] body() {
        return request.body();
    }

    String actor() {
        return caller.actor();
    }

    /** The page size asked for with {@code ?limit}, capped. */
    int limit() {
        String value = queryParam("limit");
        if (value == null) {
            return Page.cap(null);
        }
        try {
            return Page.cap((int) Math.min(Integer.MAX_VALUE, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            throw Problem.badField("limit", "must be a whole number");
        }
    }

    /** 415 naming the expected type unless the request's Content-Type is one of {@code allowed}. */
    void requireContentType(Set<String> allowed, String expected) {
        String header = request.header("Content-Type");
        String type = header == null ? "" : (header.indexOf(';') < 0 ? header : header.substring(0, header.indexOf(';')))
                .strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(type)) {
            throw new Problem(Problem.Kind.UNSUPPORTED,
                    "Content-Type: must be " + expected + "; got " + (type.isEmpty() ? "none" : type),
                    List.of(new FieldError("Content-Type", "must be " + expected)));
        }
    }
}
