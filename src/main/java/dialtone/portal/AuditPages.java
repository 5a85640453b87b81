package dialtone.portal;

import static dialtone.store.generated.Tables.AUDIT_EVENT;

import dialtone.directory.Account;
import dialtone.directory.Directory;
import dialtone.server.Response;
import dialtone.server.Router;
import dialtone.store.Database;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/** Who did what and when, newest first, in the administrator's account only; filtered by person and action. */
final class AuditPages implements PortalRoutes {

    private final Database db;
    private final Directory directory;
    private final Pages pages;

    AuditPages(Database db, Directory directory, Pages pages) {
        this.db = db;
        this.directory = directory;
        this.pages = pages;
    }

    /** One line of the audit log as the page shows it. */
    public record Event(long id, String at, String actor, String action, String objectType, String objectId, String detail) {}

    @Override
    public void register(Router<Visit> router) {
        router.add("GET", "/admin/accounts/{accountId}/audit", (v, p) -> list(v, p.get("accountId")));
    }

    private Response list(Visit v, String accountId) {
        Account account = Scope.account(directory, v.requireManager(), accountId);
        int limit = Scope.limit(v);
        Condition where = AUDIT_EVENT.ACCOUNT_ID.eq(accountId);
        String actor = v.queryParam("actor");
        String action = v.queryParam("action");
        if (actor != null && !actor.isBlank()) {
            where = where.and(DSL.lower(AUDIT_EVENT.ACTOR).contains(actor.strip().toLowerCase(java.util.Locale.ROOT)));
        }
        if (action != null && !action.isBlank()) {
            where = where.and(AUDIT_EVENT.ACTION.startsWith(action.strip()));
        }
        try {
            String before = v.queryParam("before");
            if (before != null) {
                where = where.and(AUDIT_EVENT.ID.lt(Long.parseLong(before)));
            }
        } catch (NumberFormatException ignored) {
            // from the newest
        }
        List<Event> events = db.dsl().selectFrom(AUDIT_EVENT).where(where).orderBy(AUDIT_EVENT.ID.desc())
                .limit(limit + 1).fetch(r -> new Event(r.getId(), r.getAt().toString(), r.getActor(), r.getAction(),
                        r.getObjectType(), r.getObjectId(), r.getDetail()));
        boolean more = events.size() > limit;
        Map<String, Object> model = Pages.model("Audit");
        model.put("account", account);
        model.put("events", more ? events.subList(0, limit) : events);
        model.put("before", more ? events.get(limit - 1).id() : null);
        model.put("actor", actor == null ? "" : actor);
        model.put("action", action == null ? "" : action);
        return pages.render("audit", v, model);
    }
}
