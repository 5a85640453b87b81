package dialtone.server;

import java.util.List;

/**
 * An answer other than success, carrying everything needed for an RFC 9457 problem document.
 * Thrown by services; turned into a response in exactly one place ({@link Responses#problem}).
 */
public class ProblemException extends RuntimeException {

    /** One field-level validation failure. */
    public record FieldError(String field, String reason) {}

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String type, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException badRequest(List<FieldError> errors) {
        return new ProblemException(400, "validation", "Invalid request",
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).reason()
                        : errors.size() + " fields are invalid", errors);
    }

    public static ProblemException badField(String field, String reason) {
        return badRequest(List.of(new FieldError(field, reason)));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what + " does not exist", List.of());
    }

    public static ProblemException conflict(String field, String reason) {
        return new ProblemException(409, "conflict", "Conflict", field + ": " + reason,
                List.of(new FieldError(field, reason)));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail, List.of());
    }

    public static ProblemException unauthorized() {
        return new ProblemException(401, "unauthorized", "Unauthorized",
                "a valid bearer token is required", List.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
