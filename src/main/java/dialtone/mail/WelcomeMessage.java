package dialtone.mail;

import dialtone.templates.OutputFormat;
import dialtone.templates.TemplateEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Renders {@code templates/email/welcome.vm} into a subject, a text part and an HTML-escaped HTML part. */
final class WelcomeMessage {

    static final String TEMPLATE = "email/welcome.vm";
    private static final String SUBJECT = "Subject:";
    private final Supplier<TemplateEngine> templates;
    private final String portalUrl;

    /** @param templates the engine in service now (it changes when the templates folder is edited) */
    WelcomeMessage(Supplier<TemplateEngine> templates, String portalUrl) {
        this.templates = templates;
        this.portalUrl = portalUrl;
    }

    /** The people and values the template may use. */
    record Recipient(String firstName, String lastName, String username, String email, String accountName) {}

    SmtpMailer.Rendered render(Recipient r, String password) {
        Map<String, Object> data = new HashMap<>();
        data.put("user", Map.of("firstName", r.firstName(), "lastName", r.lastName(),
                "displayName", (r.firstName() + " " + r.lastName()).trim(), "username", r.username(), "email", r.email()));
        data.put("account", Map.of("name", r.accountName()));
        data.put("portal", Map.of("url", portalUrl));
        data.put("password", password);
        data.put("part", "text");
        String text = templates.get().render(TEMPLATE, OutputFormat.TEXT, data).stripLeading();
        data.put("part", "html");
        String html = templates.get().render(TEMPLATE, OutputFormat.XML, data).strip();
        String subject = "Welcome";
        if (text.startsWith(SUBJECT)) {
            int end = text.indexOf('\n');
            subject = (end < 0 ? text.substring(SUBJECT.length()) : text.substring(SUBJECT.length(), end)).strip();
            text = end < 0 ? "" : text.substring(end + 1);
        }
        return new SmtpMailer.Rendered(subject, text, html);
    }
}
