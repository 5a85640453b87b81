package dialtone.provisioning;

import dialtone.core.Problem;
import dialtone.directory.AccountPolicy;
import dialtone.directory.DeviceService;
import dialtone.directory.LastSeenWriter;
import dialtone.security.HttpDigest;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.templates.Family;
import dialtone.templates.LiveTemplates;
import dialtone.templates.PathMatch;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The phone-facing listener: recognises the file a phone asks for, proves the device for
 * MAC-specific files, renders the family's template and answers with an ETag; serves static files;
 * accepts uploads from proven devices. Everything but GET, HEAD and PUT gets 405.
 */
public final class PhoneHandler implements RequestHandler {

    static final String REALM = "dialtone";
    private static final byte[] UNAUTHORIZED_BODY = "authentication required\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND_BODY = "not found\n".getBytes(StandardCharsets.US_ASCII);

    private final LiveTemplates templates;
    private final PhoneDirectory directory;
    private final PhoneCache cache;
    private final DeviceService devices;
    private final PhoneDataModel dataModel;
    private final DeviceFiles deviceFiles;
    private final LastSeenWriter lastSeen;
    private final HttpDigest digest;
    private final PhoneSecurity security;
    private final DeviceProof proof;
    private final StaticFiles staticFiles = new StaticFiles();
    private final PhoneUploads uploads;
    private final UnknownDevices unknownDevices;
    private final PublicUrl publicUrl;
    private final PhoneMetrics metrics;

    PhoneHandler(LiveTemplates templates, PhoneDirectory directory, PhoneCache cache, DeviceService devices,
                 DeviceFiles deviceFiles, PhoneDataModel dataModel, LastSeenWriter lastSeen, HttpDigest digest,
                 PhoneSecurity security, DeviceProof proof, PhoneUploads uploads, UnknownDevices unknownDevices,
                 PublicUrl publicUrl, PhoneMetrics metrics) {
        this.metrics = metrics;
        this.templates = templates;
        this.directory = directory;
        this.cache = cache;
        this.devices = devices;
        this.deviceFiles = deviceFiles;
        this.dataModel = dataModel;
        this.lastSeen = lastSeen;
        this.digest = digest;
        this.security = security;
        this.proof = proof;
        this.uploads = uploads;
        this.unknownDevices = unknownDevices;
        this.publicUrl = publicUrl;
    }

    /** Answers the request; its one access line is written by {@link PhoneLog#access}. */
    @Override
    public Response handle(Request request) {
        long start = System.nanoTime();
        PhoneMetrics.Labels labels = new PhoneMetrics.Labels();
        int status = 500;
        try {
            Response response = PhoneLog.access(request, false, () -> answer(request, labels));
            status = response.status();
            return response;
        } catch (Problem problem) {
            status = Responses.status(problem.kind());
            throw problem;
        } finally {
            metrics.answered(labels, status, start);
        }
    }

    private Response answer(Request request, PhoneMetrics.Labels labels) {
        Response refused = throttled(request);
        if (refused != null) {
            return refused;
        }
        return switch (request.method()) {
            case "GET", "HEAD" -> serveFile(request, templates.current(), labels);
            case "PUT" -> upload(request, templates.current(), labels);
            default -> methodNotAllowed(request, "GET, HEAD, PUT");
        };
    }

    /** The throttle's refusal for a source over its budget (counted), or null. */
    private Response throttled(Request request) {
        Response refused = security.throttle().refusal(request);
        if (refused != null) {
            metrics.refused(PhoneMetrics.Refusal.THROTTLED);
        }
        return refused;
    }

    /** Only uploads take a body (up to the per-file cap); a phone's GET has none. */
    @Override
    public long maxBodyBytes(String method, String rawPath) {
        return method.equals("PUT") && !templates.current().families().matchUpload(rawPath).isEmpty()
                ? uploads.maxFileBytes() : 0;
    }

    /**
     * On the event loop: a proven device's kept file, a kept common file, or a static file found within the last
     * second, answered without a thread hand-over. Anything else (a miss, a failed or unusual proof, uploads)
     * returns null and is served by {@link #handle} from the start, failures included, so they cost what they
     * always cost.
     */
    @Override
    public Response answerAtOnce(Request request) {
        long start = System.nanoTime();
        PhoneMetrics.Labels labels = new PhoneMetrics.Labels();
        Response response = PhoneLog.access(request, true, () -> answerKept(request, labels));
        // A delayed answer is not given on the event loop: the request goes to handle, which counts it.
        if (response != null && response.delayMillis() == 0) {
            metrics.answered(labels, response.status(), start);
        }
        return response;
    }

    private Response answerKept(Request request, PhoneMetrics.Labels labels) {
        if (!request.secure() || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
            return null;
        }
        Response refused = throttled(request);
        if (refused != null) {
            return refused;
        }
        TemplateSet set = templates.current();
        List<PathMatch> matches = set.families().match(request.rawPath(), request.query());
        if (matches.isEmpty()) {
            // One replaced or removed since fails here, and the worker looks for it again.
            StaticFiles.Found file = staticFiles.remembered(set.families(), request.rawPath());
            return file == null ? null : staticFile(request, file, labels);
        }
        Optional<PathMatch> common = matches.stream().filter(m -> m.mac() == null).findFirst();
        if (common.isPresent() && matches.get(0).file().macQuery() == null) {
            PathMatch match = common.get();
            DeviceFiles.Rendered file = cache.keptCommon(set, match.family().id(), match.file(),
                    match.model() == null ? null : match.model().id(), publicUrl.get());
            if (file == null) {
                return null;
            }
            metrics.cacheLookup(false, true);
            labels.set(match.family().id(), "common");
            return rendered(request, match, file, null);
        }
        String mac = matches.get(0).mac();
        PhoneCache.Device device = cache.kept(mac);
        PhoneLog.model(device == null ? null : device.record().model());
        PhoneModel model = device == null ? null : set.families().model(device.record().model()).orElse(null);
        PathMatch match = model == null ? null : DeviceFiles.ownMatch(matches, model).orElse(null);
        AccountPolicy policy = match == null ? null : cache.keptPolicy(device.record().accountId());
        if (policy == null) {
            return null;
        }
        String serverUrl = publicUrl.get();
        DeviceFiles.Rendered file = cache.keptFile(device, set, match.file(), serverUrl);
        // Judged here only when the answer is kept, and proven only by the current password: a Digest nonce
        // count is spent by a proof, so a request passed on to the workers must not have spent it here.
        if (file == null || !proof.checkCurrent(request, mac, device.passwords(), policy).proven()) {
            return null;
        }
        security.throttle().proven(request.clientAddress());
        metrics.cacheLookup(true, true);
        labels.set(match.family().id(), "own");
        return served(request, match, device, file, serverUrl);
    }

    private Response serveFile(Request request, TemplateSet set, PhoneMetrics.Labels labels) {
        List<PathMatch> matches = set.families().match(request.rawPath(), request.query());
        if (matches.isEmpty()) {
            Optional<StaticFiles.Found> file = staticFiles.find(set.families(), request.rawPath());
            return file.isPresent() ? staticFile(request, file.get(), labels) : notFound(request, null, "no-such-file");
        }
        boolean macFromQuery = matches.get(0).file().macQuery() != null;
        Optional<PathMatch> common = matches.stream().filter(m -> m.mac() == null).findFirst();
        if (common.isPresent() && !macFromQuery) {
            labels.set(common.get().family().id(), "common");
            return serveCommon(request, set, common.get());
        }
        return serveDeviceFile(request, set, matches.stream().filter(m -> m.mac() != null).toList(), labels);
    }

    private Response staticFile(Request request, StaticFiles.Found file, PhoneMetrics.Labels labels) {
        labels.set(file.family().id(), "static");
        Response response = staticFiles.serve(request, file.path());
        PhoneLog.log(request, response.status(), null, "static-file");
        return response;
    }

    private Response serveCommon(Request request, TemplateSet set, PathMatch match) {
        String serverUrl = publicUrl.get();
        DeviceFiles.Rendered file = cache.common(set, match.family().id(), match.file(),
                match.model() == null ? null : match.model().id(), serverUrl,
                () -> DeviceFiles.of(set.render(match.family(), match.file(),
                        dataModel.common(match.family(), match.model(), serverUrl))));
        return rendered(request, match, file, null);
    }

    private Response serveDeviceFile(Request request, TemplateSet set, List<PathMatch> matches,
                                     PhoneMetrics.Labels labels) {
        labels.set(familyOf(matches), "own");
        ProvenDevice proven = prove(request, set, matches, labels);
        if (proven.failure() != null) {
            return proven.failure();
        }
        PathMatch match = proven.match();
        String serverUrl = publicUrl.get();
        DeviceFiles.Rendered file = cache.file(proven.device(), set, match.file(), serverUrl,
                () -> deviceFiles.render(set, match, proven.device().record(), proven.model(), serverUrl));
        return served(request, match, proven.device(), file, serverUrl);
    }

    /** A proven device's file: its last-seen record noted (batched), then the answer. */
    private Response served(Request request, PathMatch match, PhoneCache.Device device, DeviceFiles.Rendered file,
                            String serverUrl) {
        String userAgent = request.header("User-Agent");
        if (device.newSighting(request.clientAddress(), userAgent, request.uri(), file.etag(), System.currentTimeMillis())) {
            Family.UserAgentInfo ua = match.family().parseUserAgent(userAgent);
            lastSeen.record(match.mac(), request.clientAddress(), userAgent, ua == null ? null : ua.model(),
                    ua == null ? null : ua.firmware(), request.uri(), file.etag(), serverUrl);
        }
        return rendered(request, match, file, match.mac());
    }

    private Response upload(Request request, TemplateSet set, PhoneMetrics.Labels labels) {
        List<PathMatch> matches = set.families().matchUpload(request.rawPath());
        if (matches.isEmpty()) {
            return methodNotAllowed(request, "GET, HEAD");
        }
        labels.set(familyOf(matches), "upload");
        ProvenDevice proven = prove(request, set, matches, labels);
        if (proven.failure() != null) {
            return proven.failure();
        }
        String mac = proven.match().mac();
        String fileName = request.rawPath().substring(request.rawPath().lastIndexOf('/') + 1);
        if (uploads.store(mac, fileName, request.body()) == PhoneUploads.Result.TOO_LARGE) {
            PhoneLog.log(request, 413, mac, "upload-over-" + uploads.maxFileBytes() + "-bytes");
            return Response.of(413, "text/plain; charset=utf-8", "upload too large\n".getBytes(StandardCharsets.US_ASCII));
        }
        PhoneLog.log(request, 204, mac, "uploaded");
        return Response.empty(204);
    }

    /** A device that proved it owns the path's MAC, with the match of its own family; or the answer to send. */
    private record ProvenDevice(PhoneCache.Device device, PhoneModel model, PathMatch match, Response failure) {
        static ProvenDevice failed(Response failure) {
            return new ProvenDevice(null, null, null, failure);
        }
    }

    /**
     * The one place where a MAC-specific request (a file or an upload) is proven. An unknown MAC, a known MAC
     * asked for through another family's path, missing or wrong proof: all get the same 401; only the log
     * tells them apart.
     */
    private ProvenDevice prove(Request request, TemplateSet set, List<PathMatch> matches, PhoneMetrics.Labels labels) {
        String mac = matches.get(0).mac();
        if (!request.secure() && matches.stream().anyMatch(m -> m.file().secrets())) {
            return ProvenDevice.failed(refusedOverPlainHttp(request, mac));
        }
        PhoneCache.Lookup lookup = cache.device(mac);
        PhoneCache.Device cached = lookup.device();
        PhoneRecord device = cached == null ? null : cached.record();
        if (device == null) {
            unknownDevices.sighted(request, mac, matches);
            matches.stream().map(PathMatch::model).filter(java.util.Objects::nonNull).findFirst()
                    .ifPresent(named -> PhoneLog.model(named.id()));
        } else {
            PhoneLog.model(device.model());
        }
        // The registered model decides the family, and so which of the path's matches (if any) is the device's.
        PhoneModel model = device == null ? null : set.families().model(device.model()).orElse(null);
        PathMatch match = model == null ? null : DeviceFiles.ownMatch(matches, model).orElse(null);
        if (match != null) {
            labels.family = match.family().id();
        }
        // Looked up for unknown MACs too (no account has an empty id), so both cost the same.
        AccountPolicy policy = cache.policy(match == null ? "" : device.accountId());
        DeviceProof.Result result = proof.check(request, mac, match == null ? null : cached.passwords(), policy);
        if (!result.proven()) {
            if (cache.refused(mac, lookup)) {
                // A MAC's first failure in a while costs one query, as an unknown MAC's does: timing never
                // tells a recently booted (remembered) MAC from one that does not exist.
                directory.findActive(mac);
            }
            return ProvenDevice.failed(unauthorized(request, mac, failureReason(device, model, match, matches, result),
                    result.attempted()));
        }
        if (!request.secure() && !policy.plainHttp()) {
            return ProvenDevice.failed(unauthorized(request, mac, "plain-http-not-allowed", true));
        }
        if (result.usedNext()) {
            devices.promoteNextProvisioningPassword(device.accountId(), mac, device.provisioningPasswordNextSealed());
        }
        security.throttle().proven(request.clientAddress());
        return new ProvenDevice(cached, model, match, null);
    }

    /** The family a MAC-specific path names, before the device is known: "unknown" when several families match it. */
    private static String familyOf(List<PathMatch> matches) {
        List<String> families = matches.stream().map(m -> m.family().id()).distinct().toList();
        return families.size() == 1 ? families.get(0) : "unknown";
    }

    private static String failureReason(PhoneRecord device, PhoneModel model, PathMatch match, List<PathMatch> matches,
                                        DeviceProof.Result result) {
        if (device != null && model == null) {
            return "device-model-unknown:" + device.model();
        }
        if (device != null && match == null) {
            return "wrong-family-path:device-is-" + model.family() + ",path-is-"
                    + String.join("+", matches.stream().map(m -> m.family().id()).distinct().toList());
        }
        return result.reason();
    }

    /** Over plain HTTP a secret-bearing file is never served, for any MAC: no body, nothing to compare. */
    private Response refusedOverPlainHttp(Request request, String mac) {
        PhoneLog.log(request, 403, mac, "secrets-over-plain-http");
        metrics.refused(PhoneMetrics.Refusal.PLAIN_HTTP);
        security.throttle().failed(request.clientAddress(), mac);
        return Response.empty(403);
    }

    private Response rendered(Request request, PathMatch match, DeviceFiles.Rendered file, String mac) {
        if (mac == null && match.model() != null) {
            PhoneLog.model(match.model().id());
        }
        String etag = file.etag();
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
            PhoneLog.log(request, 304, mac, null);
            return Response.empty(304).withHeader("ETag", etag);
        }
        PhoneLog.log(request, 200, mac, null);
        return Response.of(200, match.file().format().contentType(), file.body()).withHeader("ETag", etag);
    }

    /** The one answer for "prove you are this device": identical for unknown MACs and wrong credentials. */
    private Response unauthorized(Request request, String mac, String reason, boolean attempted) {
        FailureThrottle throttle = security.throttle();
        metrics.refused(PhoneMetrics.refusalFor(reason, attempted));
        if (attempted) {
            PhoneLog.log(request, 401, mac, reason);
            throttle.failed(request.clientAddress(), mac);
        } else {
            PhoneLog.challenged(request, mac, reason);
            throttle.challenged(request.clientAddress());
        }
        Response response = Response.of(401, "text/plain; charset=utf-8", UNAUTHORIZED_BODY);
        for (String challenge : digest.challenges(DeviceProof.wantsFreshNonce(reason))) {
            response.withHeader("WWW-Authenticate", challenge);
        }
        return response.delayedBy(throttle.delayMillis(request.clientAddress(), mac));
    }

    private static Response methodNotAllowed(Request request, String allow) {
        PhoneLog.log(request, 405, null, "method-not-allowed");
        return Response.of(405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.US_ASCII))
                .withHeader("Allow", allow);
    }

    private static Response notFound(Request request, String mac, String reason) {
        PhoneLog.log(request, 404, mac, reason);
        return Response.of(404, "text/plain; charset=utf-8", NOT_FOUND_BODY);
    }
}
