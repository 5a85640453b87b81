package dialtone.pbx;

import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.APP_USER;

import dialtone.directory.AccountSip;
import dialtone.directory.Rules;
import dialtone.directory.SipSettings;
import dialtone.security.HttpDigest;
import dialtone.store.Database;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.Record;

/**
 * Finds a user for a SIP server, reading the database on every lookup so that a new user, a rotated password, a
 * deleted user or a changed forward counts from the very next request. Whatever is not a usable subscriber of
 * the token's accounts (unknown, disabled, another account's, in a disabled account, in another domain) is absent.
 */
final class Subscribers {

    /** What a SIP URI's user part may be for a lookup; anything else cannot be one of ours. */
    private static final Pattern LOOKUP_USER = Pattern.compile("[A-Za-z0-9.:\\[\\]+_-]{1,64}");
    private final Database db;
    private final SipSettings defaults;
    private final UnaryOperator<String> openSecret;
    private final boolean exposePasswords;

    Subscribers(Database db, SipSettings defaults, UnaryOperator<String> openSecret, boolean exposePasswords) {
        this.db = db;
        this.defaults = defaults;
        this.openSecret = openSecret;
        this.exposePasswords = exposePasswords;
    }

    /**
     * The subscriber whose SIP username, or extension, is {@code user}. With {@code caller} (a SIP username), only
     * users of the caller's account are found, extensions among them; without, an extension is looked up in the one
     * account whose SIP domain is {@code domain}.
     *
     * @param domain the SIP domain asked for; null: any of the user's
     */
    Optional<Subscriber> find(PbxToken token, String user, String domain, String caller) {
        if (user == null || !LOOKUP_USER.matcher(user).matches()) {
            return Optional.empty();
        }
        String account = null;
        if (caller != null) {
            Optional<Record> calling = byUsername(caller).filter(r -> usable(token, r, domain));
            if (calling.isEmpty()) {
                return Optional.empty();
            }
            account = calling.get().get(APP_USER.ACCOUNT_ID);
        }
        String callersAccount = account;
        Optional<Record> row = byUsername(user)
                .filter(r -> callersAccount == null || callersAccount.equals(r.get(APP_USER.ACCOUNT_ID)));
        if (row.isEmpty() && Rules.isExtension(user)) {
            row = callersAccount != null
                    ? fetch(APP_USER.EXTENSION.eq(user).and(APP_USER.ACCOUNT_ID.eq(callersAccount))).stream().findFirst()
                    : byExtension(token, user, domain);
        }
        return row.filter(r -> usable(token, r, domain)).map(this::subscriber);
    }

    private Optional<Record> byUsername(String username) {
        return fetch(APP_USER.SIP_USERNAME.eq(username)).stream().findFirst();
    }

    private Optional<Record> byExtension(PbxToken token, String extension, String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        // Accounts sharing a domain cannot tell their extensions apart without the caller: then none answers.
        List<Record> candidates = fetch(APP_USER.EXTENSION.eq(extension)).stream()
                .filter(r -> usable(token, r, domain)).toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    private List<Record> fetch(Condition condition) {
        return List.<Record>copyOf(db.dsl().select(APP_USER.ACCOUNT_ID, APP_USER.SIP_USERNAME, APP_USER.SIP_PASSWORD_ENC,
                        APP_USER.EXTENSION, APP_USER.PHONE_NUMBER, APP_USER.FIRST_NAME, APP_USER.LAST_NAME,
                        APP_USER.ENABLED, APP_USER.UNREACHABLE_FORWARD, APP_USER.NO_ANSWER_FORWARD,
                        APP_USER.NO_ANSWER_SECONDS, ACCOUNT.ENABLED, ACCOUNT.SIP_DOMAIN, ACCOUNT.SIP_REGISTRAR,
                        ACCOUNT.SIP_PORT, ACCOUNT.SIP_TRANSPORT, ACCOUNT.SIP_REALM)
                .from(APP_USER).join(ACCOUNT).on(ACCOUNT.ID.eq(APP_USER.ACCOUNT_ID))
                .where(condition).orderBy(APP_USER.ID).limit(1000).fetch());
    }

    private boolean usable(PbxToken token, Record r, String domain) {
        return token.covers(r.get(APP_USER.ACCOUNT_ID)) && r.get(APP_USER.ENABLED) && r.get(ACCOUNT.ENABLED)
                && (domain == null || settings(r).isDomain(domain));
    }

    private SipSettings settings(Record r) {
        return defaults.forAccount(new AccountSip(r.get(ACCOUNT.SIP_DOMAIN), r.get(ACCOUNT.SIP_REGISTRAR),
                r.get(ACCOUNT.SIP_PORT), r.get(ACCOUNT.SIP_TRANSPORT), r.get(ACCOUNT.SIP_REALM)));
    }

    private Subscriber subscriber(Record r) {
        SipSettings sip = settings(r);
        String username = r.get(APP_USER.SIP_USERNAME);
        String password = openSecret.apply(r.get(APP_USER.SIP_PASSWORD_ENC));
        String accountId = r.get(APP_USER.ACCOUNT_ID);
        Integer seconds = r.get(APP_USER.NO_ANSWER_SECONDS);
        return new Subscriber(true, username, sip.domain(), sip.realm(),
                HttpDigest.md5(username + ":" + sip.realm() + ":" + password),
                HttpDigest.md5(username + "@" + sip.domain() + ":" + sip.realm() + ":" + password),
                exposePasswords ? password : null, r.get(APP_USER.EXTENSION), r.get(APP_USER.PHONE_NUMBER),
                (r.get(APP_USER.FIRST_NAME) + " " + r.get(APP_USER.LAST_NAME)).trim(), true,
                forward(accountId, r.get(APP_USER.UNREACHABLE_FORWARD), null),
                forward(accountId, r.get(APP_USER.NO_ANSWER_FORWARD), seconds));
    }

    private Subscriber.Forward forward(String accountId, String target, Integer seconds) {
        if (target == null) {
            return null;
        }
        if (!Rules.isExtension(target)) {
            return new Subscriber.Forward(target, "number", null, seconds);
        }
        String username = fetch(APP_USER.ACCOUNT_ID.eq(accountId).and(APP_USER.EXTENSION.eq(target))).stream()
                .filter(r -> r.get(APP_USER.ENABLED) && r.get(ACCOUNT.ENABLED)).map(r -> r.get(APP_USER.SIP_USERNAME))
                .findFirst().orElse(null);
        return new Subscriber.Forward(target, "extension", username, seconds);
    }
}
