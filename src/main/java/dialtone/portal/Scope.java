package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.Administrator;
import dialtone.directory.Directory;
import dialtone.directory.Page;

/** Which account an administrator may reach: another account's pages are "not found", like a missing one. */
final class Scope {

    private Scope() {}

    static Account account(Directory directory, Administrator admin, String accountId) {
        if (!admin.canSee(accountId)) {
            throw Problem.notFound("account " + accountId);
        }
        return directory.accounts().find(accountId).orElseThrow(() -> Problem.notFound("account " + accountId));
    }

    /** The page size: {@code ?limit}, capped as the API caps it. */
    static int limit(Visit v) {
        try {
            String value = v.queryParam("limit");
            return Page.cap(value == null ? null : Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Page.DEFAULT_LIMIT;
        }
    }
}
