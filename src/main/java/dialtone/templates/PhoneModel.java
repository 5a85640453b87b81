package dialtone.templates;

import java.util.Map;

/**
 * One model of a family, as declared in family.yaml: {@code id} (e.g. {@code yealink-t46s}),
 * {@code model} (e.g. {@code T46S}) and any further attributes that file paths refer to
 * (e.g. {@code code: "66"} for Yealink's {@code y0000000000{code}.cfg}).
 */
public record PhoneModel(String id, String vendor, String model, String family, Map<String, String> attributes) {

    public String attribute(String name) {
        return switch (name) {
            case "id" -> id;
            case "model" -> model;
            default -> attributes.get(name);
        };
    }
}
