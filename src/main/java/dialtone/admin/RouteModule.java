package dialtone.admin;

import dialtone.server.Router;
import java.util.Set;

/** The admin routes of one resource, registered by the module itself. */
interface RouteModule {

    /** The query parameters of a list: the cursor and the page size. */
    Set<String> PAGING = Set.of("after", "limit");

    /** A list an operator may narrow to one account with {@code ?accountId} (others may name only their own). */
    Set<String> SCOPED_PAGING = Set.of("after", "limit", "accountId");

    void register(Router<Call> router);
}
