package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.CsvTable;
import dialtone.directory.Directory;
import dialtone.directory.UserBulk;
import dialtone.server.Response;
import dialtone.server.Router;
import java.util.Map;

/** Bulk import of users from a CSV file with its per-row report, and the export. */
final class ImportPages implements PortalRoutes {

    private final Directory directory;
    private final Pages pages;

    ImportPages(Directory directory, Pages pages) {
        this.directory = directory;
        this.pages = pages;
    }

    @Override
    public void register(Router<Visit> router) {
        router.add("GET", "/admin/accounts/{accountId}/import", (v, p) -> form(v, p.get("accountId"), Map.of()))
                .add("POST", "/admin/accounts/{accountId}/import", (v, p) -> importFile(v, p.get("accountId")))
                .add("GET", "/admin/accounts/{accountId}/users.csv", (v, p) -> export(v, p.get("accountId")));
    }

    private Response form(Visit v, String accountId, Map<String, Object> extra) {
        Account account = Scope.account(directory, v.requireManager(), accountId);
        Map<String, Object> model = Pages.model("Import users");
        model.put("account", account);
        model.put("columns", String.join(",", UserBulk.EXPORT_COLUMNS) + ",authorizedUser,pin,sendWelcomeEmail,mac,model,label");
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "import", v, model);
    }

    private Response importFile(Visit v, String accountId) {
        Scope.account(directory, v.requireManager(), accountId);
        byte[] file = v.form().file("file");
        try {
            if (file == null) {
                throw Problem.badField("file", "choose a CSV file");
            }
            UserBulk.Report report = directory.userBulk().importRows(v.actor(), accountId,
                    CsvTable.parse(file, UserBulk.IMPORT_COLUMNS, "user", UserBulk.MAX_ROWS));
            return form(v, accountId, Map.of("report", report));
        } catch (Problem problem) {
            if (problem.errors().isEmpty()) {
                throw problem;
            }
            return form(v, accountId, Map.of("fileErrors", problem.errors(), "status", 400));
        }
    }

    private Response export(Visit v, String accountId) {
        Scope.account(directory, v.requireManager(), accountId);
        return Response.of(200, "text/csv; charset=utf-8",
                        CsvTable.write(UserBulk.EXPORT_COLUMNS, directory.userBulk().exportRows(accountId)))
                .withHeader("Content-Disposition", "attachment; filename=\"users.csv\"");
    }
}
