package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Administrator;
import dialtone.directory.PortalPasswords.PortalUser;
import dialtone.server.Request;

/**
 * One portal request: the request, its form, and who is logged in (an administrator, a user, or nobody).
 * The guards send a visitor who is not logged in as the page needs to the right login page.
 */
record Visit(Request request, Form form, Session session, Administrator admin, PortalUser user) {

    String queryParam(String name) {
        return request.queryParam(name);
    }

    String source() {
        return request.clientAddress().getHostAddress();
    }

    /** The administrator, or a redirect to the administrators' login. */
    Administrator requireAdmin() {
        if (admin == null) {
            throw new Redirect("/admin/login");
        }
        if (admin.mustChangePassword()) {
            throw new Redirect("/admin/password");
        }
        return admin;
    }

    /** The administrator, who must not be a technician (403 otherwise). */
    Administrator requireManager() {
        Administrator who = requireAdmin();
        if (who.isTechnician()) {
            throw Problem.forbidden("a technician may work on devices only");
        }
        return who;
    }

    /** The logged-in user, or a redirect to the login; one with a temporary password must change it first. */
    PortalUser requireUser() {
        if (user == null) {
            throw new Redirect("/login");
        }
        if (user.mustChange()) {
            throw new Redirect("/password");
        }
        return user;
    }

    String actor() {
        return admin != null ? admin.actor() : user != null ? user.actor() : "anonymous@" + source();
    }
}
