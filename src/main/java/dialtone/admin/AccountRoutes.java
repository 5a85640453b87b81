package dialtone.admin;

import dialtone.core.Problem;
import dialtone.directory.Address;
import dialtone.directory.Directory;
import dialtone.provisioning.PhoneSide;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import dialtone.store.Backups;
import dialtone.templates.FamilyRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Accounts, their locations and phone security policy, account-wide resync; the model catalogue; backups. */
final class AccountRoutes implements RouteModule {

    static final Set<String> ADDRESS_FIELDS = Set.of("street", "city", "region", "postalCode", "country");

    private final Access access;
    private final Directory directory;
    private final PhoneSide phones;
    private final Supplier<FamilyRegistry> families;
    private final Backups backups;

    AccountRoutes(Access access, Directory directory, PhoneSide phones, Supplier<FamilyRegistry> families,
                  Backups backups) {
        this.access = access;
        this.directory = directory;
        this.phones = phones;
        this.families = families;
        this.backups = backups;
    }

    @Override
    public void register(Router<Call> router) {
        String account = "/accounts/{accountId}";
        router.add("POST", "/backup", (r, p) -> {
                    Access.requireOperator(r);
                    return Response.of(200, "application/zip", backups.take());
                })
                .add("GET", "/models", (r, p) -> Responses.json(200, Map.of("items", models())))
                .add("POST", "/accounts", (r, p) -> create(r))
                .add("GET", "/accounts", PAGING, (r, p) -> list(r))
                .add("GET", account, (r, p) -> Responses.json(200, access.account(r, p)))
                .add("PATCH", account, this::update)
                .add("DELETE", account, Set.of("force"), this::delete)
                .add("POST", account + "/locations", this::createLocation)
                .add("GET", account + "/locations", PAGING, (r, p) -> Responses.json(200, Views.page(directory.locations()
                        .list(access.adminAccount(r, p).id(), r.queryParam("after"), r.limit()))))
                .add("GET", account + "/locations/{locationId}", (r, p) -> Responses.json(200,
                        directory.locations().find(access.adminAccount(r, p).id(), p.get("locationId"))
                                .orElseThrow(() -> Problem.notFound("location " + p.get("locationId")))))
                .add("PATCH", account + "/locations/{locationId}", this::updateLocation)
                .add("DELETE", account + "/locations/{locationId}", (r, p) -> {
                    directory.locations().delete(r.actor(), access.adminAccount(r, p).id(), p.get("locationId"));
                    return Response.empty(204);
                })
                .add("GET", account + "/security-policy", (r, p) -> Responses.json(200,
                        directory.policies().get(access.adminAccount(r, p).id())))
                .add("PUT", account + "/security-policy", this::replacePolicy)
                .add("POST", account + "/resync", (r, p) -> Responses.json(202,
                        phones.resyncAccount(r.actor(), access.account(r, p).id())));
    }

    private List<Map<String, String>> models() {
        return families.get().models().stream()
                .map(m -> Map.of("id", m.id(), "vendor", m.vendor(), "model", m.model(), "family", m.family()))
                .toList();
    }

    private Response create(Call r) {
        Access.requireOperator(r);
        Body body = Body.parse(r.body(), Set.of("name"));
        String name = body.text("name");
        body.done();
        return Responses.json(201, directory.accounts().create(r.actor(), name));
    }

    private Response update(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("name", "autoResync"));
        String name = body.text("name");
        Boolean auto = body.bool("autoResync");
        body.done();
        return Responses.json(200, directory.accounts().update(r.actor(), accountId, name, auto));
    }

    /** Operators only; {@code ?force=true} also deletes the account's users and devices. */
    private Response delete(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Access.requireOperator(r);
        String force = r.queryParam("force");
        if (force != null && !force.equals("true") && !force.equals("false")) {
            throw Problem.badField("force", "must be true or false");
        }
        directory.accounts().delete(r.actor(), accountId, "true".equals(force));
        return Response.empty(204);
    }

    private Response list(Call r) {
        Caller caller = r.caller();
        return Responses.json(200, Views.page(directory.accounts().list(caller.isOperator() ? null : caller.accountId(),
                r.queryParam("after"), r.limit())));
    }

    private Response createLocation(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("name", "address", "timeZone"));
        String name = body.text("name");
        Address address = address(body.object("address", ADDRESS_FIELDS));
        String timeZone = body.text("timeZone");
        body.done();
        return Responses.json(201, directory.locations().create(r.actor(), accountId, name, address, timeZone));
    }

    private Response updateLocation(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("name", "address", "timeZone"));
        String name = body.text("name");
        Address address = address(body.object("address", ADDRESS_FIELDS));
        String timeZone = body.text("timeZone");
        body.done();
        return Responses.json(200, directory.locations().update(r.actor(), accountId, p.get("locationId"),
                body.present(), name, address, timeZone));
    }

    static Address address(Body body) {
        if (body == null) {
            return null;
        }
        return new Address(body.text("street"), body.text("city"), body.text("region"), body.text("postalCode"),
                body.text("country"));
    }

    private Response replacePolicy(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("proofs", "allowedSources", "plainHttp"));
        List<String> proofs = body.textList("proofs");
        List<String> sources = body.textList("allowedSources");
        Boolean plainHttp = body.bool("plainHttp");
        body.done();
        return Responses.json(200, directory.policies().replace(r.actor(), accountId, proofs, sources, plainHttp));
    }
}
