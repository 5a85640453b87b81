package dialtone.mail;

import dialtone.templates.OutputFormat;
import dialtone.templates.TemplateEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Renders the user e-mails ({@code templates/email/welcome.vm}, {@code email/password-reset.vm}) into a subject,
 * a text part and an HTML-escaped HTML part.
 */
final class WelcomeMessage {

    static final String TEMPLATE = "email/welcome.vm";
    static final String RESET_TEMPLATE = "email/password-reset.vm";
    private static final String SUBJECT = "Subject:";
    private final Supplier<TemplateEngine> templates;
    private final Supplier<String> portalUrl;

    /** @param templates the engine in service now (it changes when the templates folder is edited) */
    WelcomeMessage(Supplier<TemplateEngine> templates, Supplier<String> portalUrl) {
        this.templates = templates;
        this.portalUrl = portalUrl;
    }

    /** The people and values the template may use. */
    record Recipient(String firstName, String lastName, String username, String email, String accountName) {}

    SmtpMailer.Rendered render(Recipient r, String password) {
        Map<String, Object> data = new HashMap<>();
        data.put("password", password);
        return render(TEMPLATE, r, data);
    }

    /** The reset link carries its token after '#': browsers never send a fragment to a server or in a Referer. */
    SmtpMailer.Rendered renderReset(Recipient r, String token, long validMinutes) {
        Map<String, Object> data = new HashMap<>();
        String url = portalUrl.get();
        String base = url.endsWith("/") ? url : url + "/";
        data.put("reset", Map.of("url", base + "reset#" + token, "page", base + "reset", "code", token,
                "minutes", validMinutes));
        return render(RESET_TEMPLATE, r, data);
    }

    private SmtpMailer.Rendered render(String template, Recipient r, Map<String, Object> data) {
        data.put("user", Map.of("firstName", r.firstName(), "lastName", r.lastName(),
                "displayName", (r.firstName() + " " + r.lastName()).trim(), "username", r.username(), "email", r.email()));
        data.put("account", Map.of("name", r.accountName()));
        data.put("portal", Map.of("url", portalUrl.get()));
        data.put("part", "text");
        String text = templates.get().render(template, OutputFormat.TEXT, data).stripLeading();
        data.put("part", "html");
        String html = templates.get().render(template, OutputFormat.XML, data).strip();
        String subject = "Welcome";
        if (text.startsWith(SUBJECT)) {
            int end = text.indexOf('\n');
            subject = (end < 0 ? text.substring(SUBJECT.length()) : text.substring(SUBJECT.length(), end)).strip();
            text = end < 0 ? "" : text.substring(end + 1);
        }
        return new SmtpMailer.Rendered(subject, text, html);
    }
}
