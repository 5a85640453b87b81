package dialtone.directory;

import java.util.Set;

/**
 * A change to an account: a null {@code name}, {@code autoResync} or {@code enabled} leaves it as it is; the SIP
 * settings named in {@code sipFields} are set to the values in {@code sip} (null: back to the configured default).
 */
public record AccountChange(String name, Boolean autoResync, Boolean enabled, AccountSip sip, Set<String> sipFields) {

    public AccountChange {
        sip = sip == null ? AccountSip.NONE : sip;
        sipFields = sipFields == null ? Set.of() : Set.copyOf(sipFields);
    }
}
