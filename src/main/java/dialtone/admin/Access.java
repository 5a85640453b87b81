package dialtone.admin;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.AccountService;
import java.util.Map;

/**
 * Who may reach what: the account named in a path exists for a caller only if its token may see it (else 404,
 * as for a missing one); technicians may read and bind, everything else needs an admin; some things an operator.
 */
final class Access {

    private final AccountService accounts;

    Access(AccountService accounts) {
        this.accounts = accounts;
    }

    /** The account in the path ({accountId}) if the caller may see it. */
    Account account(Call call, Map<String, String> params) {
        return account(call, params.get("accountId"));
    }

    Account account(Call call, String id) {
        if (!call.caller().canSee(id)) {
            throw Problem.notFound("account " + id);
        }
        return accounts.find(id).orElseThrow(() -> Problem.notFound("account " + id));
    }

    /** The account in the path for an admin-only operation: 404 when not visible, 403 for a technician. */
    Account adminAccount(Call call, Map<String, String> params) {
        Account account = account(call, params);
        requireAdmin(call);
        return account;
    }

    static boolean isTechnician(Call call) {
        return call.caller().role() == Caller.Role.TECHNICIAN;
    }

    static void requireAdmin(Call call) {
        if (isTechnician(call)) {
            throw Problem.forbidden("a technician token may not do this");
        }
    }

    static void requireOperator(Call call) {
        if (!call.caller().isOperator()) {
            throw Problem.forbidden("only an operator token may do this");
        }
    }

    /** The account a list is limited to: the caller's own, or for the operator the optional ?accountId. */
    static String listScope(Call call) {
        Caller caller = call.caller();
        String requested = call.queryParam("accountId");
        if (caller.isOperator()) {
            return requested;
        }
        if (requested != null && !requested.equals(caller.accountId())) {
            throw Problem.notFound("account " + requested);
        }
        return caller.accountId();
    }
}
