package dialtone.core;

/** One field-level validation failure: the field as the caller named it, and why in words. */
public record FieldError(String field, String reason) {}
