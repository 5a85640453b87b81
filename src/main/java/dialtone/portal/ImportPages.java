package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.CsvTable;
import dialtone.directory.Directory;
import dialtone.directory.ImportRow;
import dialtone.directory.UserBulk;
import dialtone.server.Response;
import dialtone.server.Router;
import java.util.List;
import java.util.Map;

/**
 * Bulk import of users from a CSV file, and the export. The file is read and checked at once; the rows then go in
 * in the background while the import's page shows how far it is (reloading itself), then the per-row report.
 */
final class ImportPages implements PortalRoutes {

    /** Seconds between reloads of a running import's page. */
    static final int REFRESH_SECONDS = 1;
    private final Directory directory;
    private final Pages pages;
    private final ImportJobs jobs;

    ImportPages(Directory directory, Pages pages, ImportJobs jobs) {
        this.directory = directory;
        this.pages = pages;
        this.jobs = jobs;
    }

    @Override
    public void register(Router<Visit> router) {
        router.add("GET", "/admin/accounts/{accountId}/import", (v, p) -> form(v, p.get("accountId"), Map.of()))
                .add("POST", "/admin/accounts/{accountId}/import", (v, p) -> importFile(v, p.get("accountId")))
                .add("GET", "/admin/accounts/{accountId}/import/{jobId}", (v, p) -> job(v, p.get("accountId"), p.get("jobId")))
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
            List<ImportRow> rows = CsvTable.parse(file, UserBulk.IMPORT_COLUMNS, "user", UserBulk.MAX_ROWS);
            String actor = v.actor();
            ImportJobs.Job job = jobs.start(v.admin().id(), accountId, rows.size(),
                    progress -> directory.userBulk().importRows(actor, accountId, rows, progress));
            throw new Redirect("/admin/accounts/" + accountId + "/import/" + job.id);
        } catch (Problem problem) {
            if (problem.errors().isEmpty()) {
                throw problem;
            }
            return form(v, accountId, Map.of("fileErrors", problem.errors(), "status", 400));
        }
    }

    /** A running import's progress (the page reloads itself), then, once, its report. */
    private Response job(Visit v, String accountId, String jobId) {
        Account account = Scope.account(directory, v.requireManager(), accountId);
        ImportJobs.Job job = jobs.take(v.admin().id(), accountId, jobId).orElse(null);
        if (job == null) {
            Map<String, Object> model = Pages.model("Import");
            model.put("account", account);
            model.put("message", "This import's report has been shown already, or the import is not yours. "
                    + "Its passwords are shown only once; the users it created are in the user list.");
            model.put("status", 404);
            return pages.render(404, "import-gone", v, model);
        }
        if (!job.finished()) {
            Map<String, Object> model = Pages.model("Importing users");
            model.put("account", account);
            model.put("job", job);
            model.put("jobId", job.id);
            model.put("refresh", REFRESH_SECONDS);
            return pages.render(200, "import-progress", v, model)
                    .withHeader("Cache-Control", "no-store");
        }
        if (job.problem() != null) {
            if (job.problem().errors().isEmpty()) {
                throw job.problem();
            }
            return form(v, accountId, Map.of("fileErrors", job.problem().errors(), "status", 400));
        }
        return form(v, accountId, Map.of("report", job.report())).withHeader("Cache-Control", "no-store");
    }

    private Response export(Visit v, String accountId) {
        Scope.account(directory, v.requireManager(), accountId);
        return Response.of(200, "text/csv; charset=utf-8",
                        CsvTable.write(UserBulk.EXPORT_COLUMNS, directory.userBulk().exportRows(accountId)))
                .withHeader("Content-Disposition", "attachment; filename=\"users.csv\"");
    }
}
