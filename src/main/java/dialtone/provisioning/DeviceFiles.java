package dialtone.provisioning;

import dialtone.security.Secrets;
import dialtone.server.Request;
import dialtone.templates.PathMatch;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateSet;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Renders a proven device's own file. Used by the phone listener to answer, and by the admin side to
 * tell whether what a device last fetched still equals what it would get now.
 */
final class DeviceFiles {

    /** A rendered file and its ETag. */
    record Rendered(byte[] body, String etag) {}

    private final PhoneDataModel dataModel;

    DeviceFiles(PhoneDataModel dataModel) {
        this.dataModel = dataModel;
    }

    Rendered render(TemplateSet set, PathMatch match, PhoneRecord device, PhoneModel model, String serverUrl) {
        String body = set.render(match.family(), match.file(),
                dataModel.forDevice(match.family(), device, model, serverUrl));
        return of(body);
    }

    static Rendered of(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Rendered(bytes, "\"" + HexFormat.of().formatHex(Secrets.sha256(bytes), 0, 16) + "\"");
    }

    /** The ETag the device would get now for the request target it last fetched; empty if it cannot be told. */
    Optional<String> currentEtag(TemplateSet set, PhoneRecord device, String uri, String serverUrl) {
        PhoneModel model = set.families().model(device.model()).orElse(null);
        if (model == null) {
            return Optional.empty();
        }
        List<PathMatch> matches = set.families().match(Request.pathOf(uri), Request.parseQuery(uri));
        return ownMatch(matches, model).map(match -> render(set, match, device, model, serverUrl).etag());
    }

    /** Of the files a path could be, the one of the device's own family (its registered model decides). */
    static Optional<PathMatch> ownMatch(List<PathMatch> matches, PhoneModel model) {
        return matches.stream().filter(m -> m.mac() != null && m.family().id().equals(model.family())).findFirst();
    }
}
