package dialtone.mail;

import dialtone.config.DialtoneConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Date;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends one text+HTML message over SMTP as configured ({@code smtp.*}). */
final class SmtpMailer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailer.class);

    private final DialtoneConfig.Smtp config;
    private final Session session;

    SmtpMailer(DialtoneConfig.Smtp config) {
        this.config = config;
        Properties p = new Properties();
        p.put("mail.smtp.host", config.host());
        p.put("mail.smtp.port", Integer.toString(config.port()));
        p.put("mail.smtp.connectiontimeout", Integer.toString(config.timeoutMillis()));
        p.put("mail.smtp.timeout", Integer.toString(config.timeoutMillis()));
        p.put("mail.smtp.writetimeout", Integer.toString(config.timeoutMillis()));
        p.put("mail.smtp.starttls.enable", Boolean.toString(!"off".equals(config.starttls())));
        p.put("mail.smtp.starttls.required", Boolean.toString("required".equals(config.starttls())));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.auth", Boolean.toString(!config.username().isEmpty()));
        this.session = Session.getInstance(p);
        if (!config.username().isEmpty() && !"required".equals(config.starttls())) {
            LOG.warn("smtp.starttls is {} while smtp.username is set: whoever sits between Dialtone and {} can "
                    + "strip STARTTLS and read the SMTP password; set smtp.starttls: required", config.starttls(),
                    config.host());
        }
    }

    void send(String recipient, Rendered mail) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(config.from()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        message.setSubject(mail.subject(), "UTF-8");
        message.setSentDate(new Date());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        message.setContent(new MimeMultipart("alternative", text, html));
        message.saveChanges();
        if (config.username().isEmpty()) {
            Transport.send(message);
        } else {
            Transport.send(message, config.username(), config.password());
        }
    }

    /** A rendered e-mail; holds a secret, so it is never logged. */
    record Rendered(String subject, String text, String html) {
        @Override
        public String toString() {
            return "Rendered[subject=" + subject + "]";
        }
    }
}
