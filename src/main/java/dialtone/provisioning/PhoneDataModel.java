package dialtone.provisioning;

import dialtone.config.DialtoneConfig;
import dialtone.security.SecretBox;
import dialtone.templates.PhoneModel;
import dialtone.templates.TimeZoneView;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds what templates see: plain maps of strings, numbers and booleans plus the time-zone helper.
 * Names here are the template API documented in the README; change them only with the templates.
 */
final class PhoneDataModel {

    private final DialtoneConfig.Sip sip;
    private final SecretBox secrets;

    PhoneDataModel(DialtoneConfig.Sip sip, SecretBox secrets) {
        this.sip = sip;
        this.secrets = secrets;
    }

    /** Data for a common file: the model and server settings, no device, no user, no secret. */
    Map<String, Object> common(PhoneModel model) {
        Map<String, Object> data = new HashMap<>();
        data.put("model", modelMap(model));
        data.put("server", serverMap());
        return data;
    }

    /** Data for a device's own file; a device without a user gets {@code line.enabled = false} and no secret. */
    Map<String, Object> forDevice(PhoneRecord device, PhoneModel model) {
        Map<String, Object> data = common(model);
        Map<String, Object> deviceMap = new HashMap<>();
        deviceMap.put("mac", device.mac());
        deviceMap.put("macUpper", device.mac().toUpperCase());
        deviceMap.put("macColons", device.mac().replaceAll("(..)(?!$)", "$1:"));
        deviceMap.put("label", device.label() == null ? "" : device.label());
        deviceMap.put("model", device.model());
        data.put("device", deviceMap);
        PhoneRecord.BoundUser u = device.user();
        Map<String, Object> line = new HashMap<>();
        line.put("registrar", sip.registrar());
        line.put("port", sip.port());
        line.put("transport", sip.transport());
        line.put("domain", sip.domain().isBlank() ? sip.registrar() : sip.domain());
        line.put("voicemail", sip.voicemailNumber());
        line.put("enabled", u != null);
        if (u != null) {
            Map<String, Object> user = new HashMap<>();
            user.put("firstName", u.firstName());
            user.put("lastName", u.lastName());
            user.put("displayName", (u.firstName() + " " + u.lastName()).trim());
            user.put("username", u.username());
            user.put("email", u.email());
            user.put("emailVoicemails", u.emailVoicemails());
            user.put("phoneNumber", u.phoneNumber() == null ? "" : u.phoneNumber());
            user.put("extension", u.extension());
            user.put("unreachableForward", u.unreachableForward() == null ? "" : u.unreachableForward());
            user.put("timeZone", u.timeZone());
            user.put("authorizedUser", u.authorizedUser());
            user.put("greeting", u.customGreeting() ? "custom" : "default");
            data.put("user", user);
            line.put("username", u.sipUsername());
            line.put("authName", u.sipUsername());
            line.put("password", secrets.open(u.sipPasswordSealed()));
            line.put("displayName", user.get("displayName"));
            line.put("label", u.extension());
            data.put("tz", new TimeZoneView(u.timeZone(), Instant.now()));
        }
        data.put("line", line);
        return data;
    }

    private static Map<String, Object> modelMap(PhoneModel model) {
        Map<String, Object> map = new HashMap<>(model.attributes());
        map.put("id", model.id());
        map.put("name", model.model());
        map.put("vendor", model.vendor());
        return map;
    }

    private Map<String, Object> serverMap() {
        Map<String, Object> map = new HashMap<>();
        map.put("registrar", sip.registrar());
        map.put("port", sip.port());
        return map;
    }
}
