package dialtone.pbx;

import dialtone.config.DialtoneConfig;
import dialtone.core.Problem;
import dialtone.directory.SipSettings;
import dialtone.security.SecretBox;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import dialtone.store.Database;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SIP servers' directory, {@code /pbx/v1}, read-only and served on its own listener: a {@code pbx} token
 * (401 otherwise, logged once per source), then a user's digest hashes, numbers and forwards as JSON (Kamailio) or
 * as FreeSWITCH {@code mod_xml_curl} directory XML. Every negative answer is the same.
 */
public final class PbxApi implements RequestHandler {

    static final String BASE = "/pbx/v1";
    /** How long refusals from one address stay unlogged after the first. */
    private static final long REFUSAL_QUIET_MILLIS = 10 * 60 * 1000;

    private record Call(Request request, PbxToken token) {}

    private final PbxTokens tokens;
    private final Subscribers subscribers;
    private final RefusalLog refusals = new RefusalLog(REFUSAL_QUIET_MILLIS);
    private final Router<Call> router = new Router<>();

    PbxApi(PbxTokens tokens, Subscribers subscribers) {
        this.tokens = tokens;
        this.subscribers = subscribers;
        router.add("GET", "/subscribers/{user}", Set.of("domain", "caller"), (c, p) -> subscriber(c, p.get("user")))
                .add("POST", "/freeswitch/directory", (c, p) -> freeSwitch(c, form(c.request())));
    }

    /** Wires the directory from the configuration's SIP defaults and the secret box that opens SIP passwords. */
    public static PbxApi wire(DialtoneConfig config, Database db, SecretBox secrets) {
        DialtoneConfig.Sip sip = config.sip();
        SipSettings defaults = SipSettings.defaults(sip.registrar(), sip.port(), sip.domain(), sip.transport(),
                sip.realm());
        return new PbxApi(new PbxTokens(db), new Subscribers(db, defaults, secrets::open,
                config.pbx().exposePasswords()));
    }

    /** Every route, as {@code METHOD /pattern} below {@code /pbx/v1}. */
    public List<Router.Description> routes() {
        return router.routes();
    }

    @Override
    public Response handle(Request request) throws Exception {
        PbxTokens.Outcome outcome = tokens.authenticate(request.header("Authorization"), request.clientAddress());
        if (outcome.token() == null) {
            refusals.refused(request.clientAddress(), outcome.refusal());
            return Responses.problem(Problem.unauthorized()).withHeader("WWW-Authenticate", "Bearer");
        }
        if (!request.rawPath().startsWith(BASE + "/")) {
            throw Problem.notFound("the resource " + request.rawPath());
        }
        return router.dispatch(new Call(request, outcome.token()), request.method(),
                request.rawPath().substring(BASE.length()), request.query().keySet());
    }

    private Response subscriber(Call call, String user) {
        Request r = call.request();
        return subscribers.find(call.token(), user, r.queryParam("domain"), r.queryParam("caller"))
                .map(s -> Responses.json(200, s))
                .orElseGet(() -> Responses.json(404, Subscriber.NOT_FOUND));
    }

    private Response freeSwitch(Call call, Map<String, List<String>> params) {
        String section = first(params, "section");
        String user = first(params, "user");
        String domain = first(params, "domain");
        if (domain == null) {
            domain = first(params, "key_value");
        }
        String xml = "directory".equals(section) && user != null
                ? subscribers.find(call.token(), user, domain, null).map(FreeSwitchDirectory::document)
                        .orElse(FreeSwitchDirectory.NOT_FOUND)
                : FreeSwitchDirectory.NOT_FOUND;
        return Response.of(200, FreeSwitchDirectory.CONTENT_TYPE, xml.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> form(Request request) {
        return Request.parseQuery("?" + new String(request.body(), StandardCharsets.UTF_8));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }
}
