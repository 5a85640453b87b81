package dialtone.provisioning;

import dialtone.config.DialtoneConfig;
import dialtone.directory.AccountPolicy;
import dialtone.security.HttpDigest;
import dialtone.security.SecretBox;
import dialtone.security.Secrets;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.store.Database;
import dialtone.templates.Family;
import dialtone.templates.FamilyRegistry;
import dialtone.templates.PathMatch;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateEngine;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The phone-facing listener: recognises the file a phone asks for, proves the device for
 * MAC-specific files, renders the family's template and answers with an ETag.
 */
public final class PhoneHandler implements RequestHandler {

    static final String REALM = "dialtone";
    private static final byte[] UNAUTHORIZED_BODY = "authentication required\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND_BODY = "not found\n".getBytes(StandardCharsets.US_ASCII);

    private final FamilyRegistry families;
    private final TemplateEngine templates;
    private final PhoneDirectory directory;
    private final DeviceAuthenticator authenticator;
    private final PhoneDataModel dataModel;
    private final HttpDigest digest;
    // Security hooks (issue 5): throttle, proof policy, certificates; see PhoneSecurity.
    private final PhoneSecurity security;
    private final DeviceProof proof;

    public PhoneHandler(FamilyRegistry families, TemplateEngine templates, Database db, SecretBox secrets,
                        DialtoneConfig.Sip sip, PhoneSecurity security) {
        this.families = families;
        this.templates = templates;
        this.directory = new PhoneDirectory(db);
        this.digest = new HttpDigest(REALM);
        this.authenticator = new DeviceAuthenticator(digest, secrets);
        this.dataModel = new PhoneDataModel(sip, secrets);
        this.security = security;
        this.proof = new DeviceProof(authenticator, security.certificates());
    }

    @Override
    public Response handle(Request request) {
        Response refused = security.throttle().refusal(request);
        if (refused != null) {
            return refused;
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            PhoneLog.log(request, 405, null, "method-not-allowed");
            return Response.of(405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.US_ASCII))
                    .withHeader("Allow", "GET, HEAD");
        }
        List<PathMatch> matches = families.match(request.rawPath());
        if (matches.isEmpty()) {
            return notFound(request, null, "no-such-file");
        }
        Optional<PathMatch> common = matches.stream().filter(m -> m.mac() == null).findFirst();
        if (common.isPresent()) {
            return serveCommon(request, common.get());
        }
        return serveDeviceFile(request, matches);
    }

    private Response serveCommon(Request request, PathMatch match) {
        if (match.file().secrets() || match.model() == null) {
            return notFound(request, null, "not-a-common-file");
        }
        String body = templates.render(match.family(), match.file().template(), match.file().format(),
                dataModel.common(match.model()));
        return rendered(request, match, body, null);
    }

    private Response serveDeviceFile(Request request, List<PathMatch> matches) {
        String mac = matches.get(0).mac();
        if (!request.secure() && matches.stream().anyMatch(m -> m.file().secrets())) {
            return refusedOverPlainHttp(request, mac);
        }
        PhoneRecord device = directory.findActive(mac).orElse(null);
        PathMatch match = device == null ? null
                : matches.stream().filter(m -> m.family().id().equals(device.family())).findFirst().orElse(null);
        // Looked up for unknown MACs too (no account has an empty id), so both cost the same queries.
        AccountPolicy policy = security.policies().get(match == null ? "" : device.accountId());
        DeviceProof.Result result = proof.check(request, mac, match == null ? null : device, policy);
        if (!result.proven()) {
            String reason = device != null && match == null ? "wrong-family-path" : result.reason();
            return unauthorized(request, mac, reason, result.attempted());
        }
        if (!request.secure() && !policy.plainHttp()) {
            return unauthorized(request, mac, "plain-http-not-allowed", true);
        }
        if (result.usedNext()) {
            directory.promoteNextPassword(device);
        }
        security.throttle().proven(request.clientAddress());
        PhoneModel model = families.model(device.model()).orElse(null);
        if (model == null) {
            return notFound(request, mac, "model-no-longer-known");
        }
        String body = templates.render(match.family(), match.file().template(), match.file().format(),
                dataModel.forDevice(device, model));
        Family.UserAgentInfo ua = match.family().parseUserAgent(request.header("User-Agent"));
        directory.recordSeen(mac, request.clientAddress(), request.header("User-Agent"),
                ua == null ? null : ua.firmware(), request.rawPath());
        return rendered(request, match, body, mac);
    }

    /** Over plain HTTP a secret-bearing file is never served, for any MAC: no body, nothing to compare. */
    private Response refusedOverPlainHttp(Request request, String mac) {
        PhoneLog.log(request, 403, mac, "secrets-over-plain-http");
        security.throttle().failed(request.clientAddress(), mac);
        return Response.empty(403);
    }

    private Response rendered(Request request, PathMatch match, String body, String mac) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String etag = "\"" + HexFormat.of().formatHex(Secrets.sha256(bytes), 0, 16) + "\"";
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.contains(etag))) {
            PhoneLog.log(request, 304, mac, null);
            return Response.empty(304).withHeader("ETag", etag);
        }
        PhoneLog.log(request, 200, mac, null);
        return Response.of(200, match.file().format().contentType(), bytes).withHeader("ETag", etag);
    }

    /** The one answer for "prove you are this device": identical for unknown MACs and wrong credentials. */
    private Response unauthorized(Request request, String mac, String reason, boolean attempted) {
        PhoneLog.log(request, 401, mac, reason);
        FailureThrottle throttle = security.throttle();
        if (attempted) {
            throttle.failed(request.clientAddress(), mac);
        } else {
            throttle.challenged(request.clientAddress());
        }
        Response response = Response.of(401, "text/plain; charset=utf-8", UNAUTHORIZED_BODY);
        for (String challenge : digest.challenges()) {
            response.withHeader("WWW-Authenticate", challenge);
        }
        return response.delayedBy(throttle.delayMillis(request.clientAddress(), mac));
    }

    private static Response notFound(Request request, String mac, String reason) {
        PhoneLog.log(request, 404, mac, reason);
        return Response.of(404, "text/plain; charset=utf-8", NOT_FOUND_BODY);
    }

}
