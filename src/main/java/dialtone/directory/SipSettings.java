package dialtone.directory;

import java.util.Locale;

/**
 * Where an account's phones register and which realm their digest credentials belong to: the account's own
 * settings where it has them ({@link AccountSip}), the configured defaults otherwise. The one place that rule lives.
 */
public record SipSettings(String registrar, int port, String domain, String transport, String realm) {

    /**
     * The configured defaults: an empty {@code domain} means the registrar, an empty {@code realm} the domain.
     */
    public static SipSettings defaults(String registrar, int port, String domain, String transport, String realm) {
        return new SipSettings(registrar, port, domain == null ? "" : domain, transport, realm == null ? "" : realm);
    }

    /** What an account with these overrides uses: each override wins; domain follows the registrar, realm the domain. */
    public SipSettings forAccount(AccountSip own) {
        String reg = own.registrar() != null ? own.registrar() : registrar;
        String dom = own.domain() != null ? own.domain() : !domain.isEmpty() ? domain : reg;
        String rlm = own.realm() != null ? own.realm() : own.domain() == null && !realm.isEmpty() ? realm : dom;
        return new SipSettings(reg, own.port() != null ? own.port() : port, dom,
                own.transport() != null ? own.transport() : transport, rlm);
    }

    /** The settings of an account with no overrides (common files, which belong to no account). */
    public SipSettings withoutAccount() {
        return forAccount(AccountSip.NONE);
    }

    /** Whether {@code host} names this domain (SIP host names compare without regard to case). */
    public boolean isDomain(String host) {
        return host != null && domain.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    }
}
