package dialtone.admin;

import dialtone.core.Text;

import com.fasterxml.jackson.databind.JsonNode;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.server.Request;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A JSON request body read field by field: fields outside the allowed set are refused (400 naming
 * them), and a value of the wrong type is a field error, collected until {@link #done()}.
 */
final class Body {

    private final JsonNode node;
    private final String prefix;
    private final List<FieldError> errors;

    private Body(JsonNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    static Body parse(byte[] bytes, Set<String> allowed) {
        Body body = new Body(Json.parseObject(bytes), "", new ArrayList<>());
        body.rejectUnknown(allowed);
        if (!body.errors.isEmpty()) {
            throw Problem.badRequest(body.errors);
        }
        return body;
    }

    private void rejectUnknown(Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(prefix + name, "is not a field of this request or may not be set"));
            }
        }
    }

    Set<String> present() {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A field's JSON as sent, for values with rules of their own (e.g. template variables). */
    JsonNode raw(String field) {
        return node.get(field);
    }

    boolean has(String field) {
        return node.has(field);
    }

    String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(prefix + field, "must be a string"));
            return null;
        }
        if (Text.containsNul(value.textValue())) {
            errors.add(new FieldError(prefix + field, Text.NUL_REASON));
            return null;
        }
        return value.textValue();
    }

    Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            errors.add(new FieldError(prefix + field, "must be true or false"));
            return null;
        }
        return value.booleanValue();
    }

    Integer integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isInt()) {
            errors.add(new FieldError(prefix + field, "must be a whole number"));
            return null;
        }
        return value.intValue();
    }

    /** A list of strings; null when absent. */
    List<String> textList(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (!value.isArray()) {
            errors.add(new FieldError(prefix + field, "must be a list of strings"));
            return null;
        }
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                errors.add(new FieldError(prefix + field, "must be a list of strings"));
                return null;
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** A nested object; null when absent. Its unknown fields are refused like the top level's. */
    Body object(String field, Set<String> allowed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(new FieldError(prefix + field, "must be an object"));
            return null;
        }
        Body nested = new Body(value, prefix + field + ".", errors);
        nested.rejectUnknown(allowed);
        return nested;
    }

    /** Throws the collected field errors, if any. */
    void done() {
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
    }
}
