package dialtone.directory;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.OffsetDateTime;

/**
 * A person who manages the directory in the portal: an operator (every account), an admin (one account) or a
 * technician (one account; devices only). Never carries a password or hash.
 */
public record Administrator(String id, String username, String role, String accountId, boolean mustChangePassword,
                            OffsetDateTime createdAt) {

    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    public static final String TECHNICIAN = "technician";

    @JsonIgnore
    public boolean isOperator() {
        return OPERATOR.equals(role);
    }

    @JsonIgnore
    public boolean isTechnician() {
        return TECHNICIAN.equals(role);
    }

    /** Whether this administrator may see the account: the operator every one, the others their own. */
    public boolean canSee(String account) {
        return isOperator() || (accountId != null && accountId.equals(account));
    }

    /** How the audit log names this person. */
    public String actor() {
        return "admin:" + username + " (" + id + ")";
    }
}
