package dialtone.admin;

import java.util.Locale;

/** Who is calling the admin API: the token's role and, except for operators, its one account. */
public record Caller(String tokenId, String name, Role role, String accountId) {

    /** What a token may do; a {@code pbx} token only reads the SIP directory, on its own listener. */
    public enum Role {
        OPERATOR, ADMIN, TECHNICIAN, PBX;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /** Whether this caller may see the account at all; when not, it must look non-existent (404). */
    public boolean canSee(String account) {
        return isOperator() || account.equals(accountId);
    }

    /** How the audit trail names this caller: the token's name and id, never the token. */
    public String actor() {
        return "token:" + name + " (" + tokenId + ")";
    }
}
