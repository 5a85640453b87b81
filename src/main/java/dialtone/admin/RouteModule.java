package dialtone.admin;

import dialtone.server.Router;

/** The admin routes of one resource, registered by the module itself. */
interface RouteModule {

    void register(Router<Call> router);
}
