package dialtone.core;

import java.util.List;

/**
 * Why an operation did not succeed, in the domain's words: a {@link Kind}, a detail and field errors.
 * Thrown by services; each face turns it into its own answer in one place (the server: problem+json).
 */
public class Problem extends RuntimeException {

    /** What went wrong, independent of how a face reports it. */
    public enum Kind {
        INVALID("validation", "Invalid request"),
        UNAUTHORIZED("unauthorized", "Unauthorized"),
        FORBIDDEN("forbidden", "Forbidden"),
        NOT_FOUND("not-found", "Not found"),
        CONFLICT("conflict", "Conflict"),
        TOO_LARGE("too-large", "Content Too Large"),
        UNSUPPORTED("unsupported-media-type", "Unsupported Media Type"),
        TOO_MANY("too-many-requests", "Too Many Requests"),
        BUSY("busy", "Busy"),
        UNAVAILABLE("unavailable", "Service Unavailable"),
        NO_SPACE("insufficient-storage", "Insufficient Storage"),
        NOT_IMPLEMENTED("not-implemented", "Not Implemented");

        private final String type;
        private final String title;

        Kind(String type, String title) {
            this.type = type;
            this.title = title;
        }

        /** A short, stable identifier (the last segment of a problem document's type URI). */
        public String type() {
            return type;
        }

        public String title() {
            return title;
        }
    }

    private final Kind kind;
    private final List<FieldError> errors;

    public Problem(Kind kind, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public Problem(Kind kind, String detail) {
        this(kind, detail, List.of());
    }

    public static Problem badRequest(List<FieldError> errors) {
        return new Problem(Kind.INVALID, errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).reason()
                : errors.size() + " fields are invalid", errors);
    }

    public static Problem badField(String field, String reason) {
        return badRequest(List.of(new FieldError(field, reason)));
    }

    public static Problem notFound(String what) {
        return new Problem(Kind.NOT_FOUND, what + " does not exist");
    }

    public static Problem conflict(String field, String reason) {
        return new Problem(Kind.CONFLICT, field + ": " + reason, List.of(new FieldError(field, reason)));
    }

    public static Problem forbidden(String detail) {
        return new Problem(Kind.FORBIDDEN, detail);
    }

    public static Problem unauthorized() {
        return new Problem(Kind.UNAUTHORIZED, "a valid bearer token is required");
    }

    public static Problem unsupported(String field, String reason) {
        return new Problem(Kind.UNSUPPORTED, field + ": " + reason, List.of(new FieldError(field, reason)));
    }

    public static Problem tooLarge(String detail) {
        return new Problem(Kind.TOO_LARGE, detail);
    }

    /** The caller asked for this too often; {@code reason} says when it may ask again. */
    public static Problem tooMany(String field, String reason) {
        return new Problem(Kind.TOO_MANY, field + ": " + reason, List.of(new FieldError(field, reason)));
    }

    public static Problem busy(String detail) {
        return new Problem(Kind.BUSY, detail);
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
