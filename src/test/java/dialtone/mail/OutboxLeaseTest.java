package dialtone.mail;

import dialtone.directory.EmailStatus;
import dialtone.directory.Directory;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dialtone.config.ConfigLoader;
import dialtone.config.DialtoneConfig;
import dialtone.directory.Address;
import dialtone.directory.UserInput;
import dialtone.directory.UserService;
import dialtone.security.SecretBox;
import dialtone.store.Database;
import dialtone.templates.TemplateEngine;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Dialtone instances sharing one database (two senders) deliver each queued e-mail once. */
class OutboxLeaseTest {

    @TempDir
    Path dir;

    @Test
    void twoSendersOnOneDatabaseSendEachEmailOnce() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        int port = smtp.getSmtp().getPort();
        DialtoneConfig config = ConfigLoader.load(null, Map.of("DIALTONE_SMTP_HOST", "127.0.0.1",
                "DIALTONE_SMTP_PORT", Integer.toString(port), "DIALTONE_SMTP_STARTTLS", "off",
                "DIALTONE_DATABASE_URL", "jdbc:h2:mem:lease-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        SecretBox secrets = SecretBox.loadOrCreate(dir.resolve("secret.key"));
        try (Database db = Database.open(config.database());
             Directory directory = new Directory(db, secrets, model -> Optional.of("yealink"), 100)) {
            TemplateEngine templates = new TemplateEngine(Path.of("templates"));
            OutboxSender one = new OutboxSender(db, secrets, config.smtp(), () -> templates, config.portalUrl());
            OutboxSender two = new OutboxSender(db, secrets, config.smtp(), () -> templates, config.portalUrl());
            UserService users = directory.users();
            String account = directory.accounts().create("test", "Acme").id();
            String location = directory.locations().create("test", account, "HQ",
                    new Address("1 Main St", "Springfield", "IL", "62701", "US"), "America/Chicago").id();
            for (int i = 0; i < 5; i++) {
                users.create("test", account, new UserInput(Set.of("firstName", "lastName", "username", "email",
                        "extension", "locationId", "sendWelcomeEmail"), "Ada", "Lovelace", "ada" + i,
                        "ada" + i + "@example.com", null, null, "10" + i, null, location, null, null, null, true));
            }
            CompletableFuture.allOf(CompletableFuture.runAsync(one::deliverDue),
                    CompletableFuture.runAsync(two::deliverDue)).join();
            one.close();
            two.close();
            assertThat(smtp.getReceivedMessages()).hasSize(5);
            assertThat(db.dsl().fetchCount(dialtone.store.generated.Tables.EMAIL_OUTBOX,
                    dialtone.store.generated.Tables.EMAIL_OUTBOX.STATUS.eq(EmailStatus.SENT))).isEqualTo(5);
        } finally {
            smtp.stop();
        }
    }
}
