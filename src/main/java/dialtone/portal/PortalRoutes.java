package dialtone.portal;

import dialtone.server.Router;

/** One group of the portal's pages, registering its paths on the portal's router. */
interface PortalRoutes {
    void register(Router<Visit> router);
}
