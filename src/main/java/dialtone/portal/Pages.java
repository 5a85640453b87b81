package dialtone.portal;

import dialtone.core.FieldError;
import dialtone.server.Response;
import dialtone.templates.OutputFormat;
import dialtone.templates.TemplateEngine;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the portal's pages from the Velocity templates under {@code portal/} in the jar. Every inserted value
 * is HTML-escaped; each page gets who is logged in, the CSRF token of its forms, and what was typed and what
 * is wrong with it (field errors keyed by field name).
 */
final class Pages {

    static final String HTML = "text/html; charset=utf-8";
    private final TemplateEngine engine = TemplateEngine.classpath("portal/macros.vm");

    /** A page model: start with {@link #model}, add what the page shows. */
    static Map<String, Object> model(String title) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("errors", Map.of());
        model.put("values", Map.of());
        return model;
    }

    /** The model with the submitted values kept and the field errors to show next to their fields. */
    static Map<String, Object> withErrors(Map<String, Object> model, Form form, List<FieldError> errors) {
        Map<String, String> byField = new LinkedHashMap<>();
        for (FieldError e : errors) {
            byField.merge(e.field(), e.reason(), (a, b) -> a + "; " + b);
        }
        model.put("errors", byField);
        model.put("values", form.values());
        return model;
    }

    /**
     * What a form page needs to show again after {@code problem}: what was typed and the field errors. A problem
     * without field errors (not found, forbidden) is not the form's to show: it is thrown on.
     */
    static Map<String, Object> invalid(Form form, dialtone.core.Problem problem) {
        if (problem.errors().isEmpty()) {
            throw problem;
        }
        Map<String, Object> extra = new HashMap<>();
        withErrors(extra, form, problem.errors());
        extra.put("status", problem.kind() == dialtone.core.Problem.Kind.CONFLICT ? 409 : 400);
        return extra;
    }

    Response render(int status, String page, Visit visit, Map<String, Object> model) {
        Map<String, Object> data = new HashMap<>(model);
        data.putIfAbsent("csrf", visit.session() == null ? "" : visit.session().csrf());
        if (visit.admin() != null) {
            data.put("me", Map.of("kind", "admin", "name", visit.admin().username(), "role", visit.admin().role()));
        } else if (visit.user() != null) {
            data.put("me", Map.of("kind", "user", "name", visit.user().username(), "id", visit.user().userId()));
        }
        String html = engine.render("portal/" + page + ".vm", OutputFormat.XML, data);
        return Response.of(status, HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    Response render(String page, Visit visit, Map<String, Object> model) {
        return render(200, page, visit, model);
    }
}
