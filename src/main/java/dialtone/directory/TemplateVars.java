package dialtone.directory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.core.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Custom template variables ({@code $vars.name} in templates): names and values an operator or account
 * admin sets per account and per device. The rules for them live here, in one place.
 */
public final class TemplateVars {

    public static final int MAX_VARS = 50;
    public static final int MAX_VALUE_LENGTH = 500;
    /** What the vars columns hold. */
    static final int MAX_STORED = 8000;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    /** How long a phone rings before it forwards an unanswered call to the user's unreachable-forward target. */
    public static final String FORWARD_SECONDS = "forward_no_answer_seconds";
    public static final int FORWARD_SECONDS_DEFAULT = 20;
    static final int FORWARD_SECONDS_MIN = 5;
    static final int FORWARD_SECONDS_MAX = 120;

    private TemplateVars() {}

    /**
     * Reads {@code {"vars": {"name": "value", ...}}}'s inner object: names are lowercase identifiers, values
     * text without control characters; a null value removes the variable.
     */
    public static Map<String, String> validate(JsonNode vars) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> out = new TreeMap<>();
        if (vars == null || !vars.isObject()) {
            throw Problem.badField("vars", "must be an object of name -> text");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "vars." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                errors.add(new FieldError(field, "name must be a lowercase letter then up to 39 letters, digits or '_'"));
            } else if (!e.getValue().isTextual()) {
                errors.add(new FieldError(field, "must be a string"));
            } else if (e.getKey().equals(FORWARD_SECONDS) && forwardSeconds(e.getValue().textValue()) == null) {
                errors.add(new FieldError(field, "must be a whole number of seconds from " + FORWARD_SECONDS_MIN
                        + " to " + FORWARD_SECONDS_MAX));
            } else {
                Rules.text(errors, field, e.getValue().textValue(), MAX_VALUE_LENGTH);
                out.put(e.getKey(), e.getValue().textValue());
            }
        }
        if (out.size() > MAX_VARS) {
            errors.add(new FieldError("vars", "at most " + MAX_VARS + " variables"));
        } else if (errors.isEmpty() && out.size() > 0 && toJson(out).length() > MAX_STORED) {
            errors.add(new FieldError("vars", "together must be at most " + MAX_STORED + " characters as JSON"));
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return out;
    }

    /**
     * The forward-on-no-answer delay the variables set ({@value #FORWARD_SECONDS}), or the default of
     * {@value #FORWARD_SECONDS_DEFAULT} s when unset.
     */
    public static int forwardSeconds(Map<String, String> vars) {
        Integer seconds = forwardSeconds(vars.get(FORWARD_SECONDS));
        return seconds == null ? FORWARD_SECONDS_DEFAULT : seconds;
    }

    private static Integer forwardSeconds(String value) {
        if (value == null || !value.matches("[0-9]{1,3}")) {
            return null;
        }
        int seconds = Integer.parseInt(value);
        return seconds >= FORWARD_SECONDS_MIN && seconds <= FORWARD_SECONDS_MAX ? seconds : null;
    }

    public static String toJson(Map<String, String> vars) {
        return vars.isEmpty() ? null : new String(Json.bytes(vars), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static Map<String, String> fromJson(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<TreeMap<String, String>>() {});
        } catch (IOException e) {
            throw new IllegalStateException("stored template variables are not JSON", e);
        }
    }
}
