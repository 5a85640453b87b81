package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;
import static dialtone.store.generated.Tables.GREETING;

import dialtone.store.Database;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * How far a user's setup has come: E911 confirmed, device assigned, greeting custom or default, and the
 * welcome e-mail's delivery ({@code null} when none was ever queued).
 */
public record SetupProgress(boolean e911Confirmed, boolean deviceAssigned, List<String> devices, String greeting,
                            EmailStatus welcomeEmail) {

    public static Optional<SetupProgress> of(Database db, String accountId, String userId) {
        DSLContext dsl = db.dsl();
        Boolean confirmed = dsl.select(APP_USER.E911_CONFIRMED).from(APP_USER)
                .where(APP_USER.ACCOUNT_ID.eq(accountId)).and(APP_USER.ID.eq(userId)).fetchOne(APP_USER.E911_CONFIRMED);
        if (confirmed == null) {
            return Optional.empty();
        }
        List<String> macs = dsl.select(DEVICE.MAC).from(DEVICE).where(DEVICE.USER_ID.eq(userId)).orderBy(DEVICE.MAC)
                .fetch(DEVICE.MAC);
        boolean custom = dsl.fetchExists(GREETING, GREETING.USER_ID.eq(userId));
        return Optional.of(new SetupProgress(confirmed, !macs.isEmpty(), macs, custom ? "custom" : "default",
                WelcomeEmails.status(dsl, userId).orElse(null)));
    }
}
