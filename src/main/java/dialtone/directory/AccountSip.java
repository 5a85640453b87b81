package dialtone.directory;

/** An account's own SIP settings; each null field takes the configured default (see {@link SipSettings}). */
public record AccountSip(String domain, String registrar, Integer port, String transport, String realm) {

    public static final AccountSip NONE = new AccountSip(null, null, null, null, null);

    /** The body fields, as the admin API names them. */
    public static final java.util.Set<String> FIELDS = java.util.Set.of("domain", "registrar", "port", "transport",
            "realm");
}
