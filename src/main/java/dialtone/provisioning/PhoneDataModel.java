package dialtone.provisioning;

import dialtone.config.DialtoneConfig;
import dialtone.directory.SipSettings;
import dialtone.directory.TemplateVars;
import dialtone.templates.Family;
import dialtone.templates.PhoneModel;
import dialtone.templates.TimeZoneView;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Builds what templates see: plain maps of strings, numbers and booleans plus the time-zone helper.
 * Names here are the template API documented in the README; change them only with the templates.
 */
final class PhoneDataModel {

    private static final java.util.regex.Pattern PAIRS = java.util.regex.Pattern.compile("(..)(?!$)");

    private final SipSettings defaults;
    private final String voicemailNumber;
    private final UnaryOperator<String> openSecret;

    /** {@code openSecret} turns a sealed secret into its value (only called for a proven device). */
    PhoneDataModel(DialtoneConfig.Sip sip, UnaryOperator<String> openSecret) {
        this.defaults = SipSettings.defaults(sip.registrar(), sip.port(), sip.domain(), sip.transport(), sip.realm());
        this.voicemailNumber = sip.voicemailNumber();
        this.openSecret = openSecret;
    }

    /** Data for a common file: family, model (when the path names one) and server settings; no device, no secret. */
    Map<String, Object> common(Family family, PhoneModel model, String serverUrl) {
        Map<String, Object> data = new HashMap<>();
        if (model != null) {
            data.put("model", modelMap(model));
        }
        data.put("family", Map.of("id", family.id(), "vendor", family.vendor(),
                "resyncEvent", family.resyncEvent() == null ? "" : family.resyncEvent()));
        data.put("server", serverMap(serverUrl, defaults.withoutAccount()));
        data.put("vars", Map.of());
        return data;
    }

    /**
     * Data for a device's own file, with its account's SIP settings; a device without a user gets
     * {@code line.enabled = false} and no secret, and so does a disabled user or a user of a disabled account.
     */
    Map<String, Object> forDevice(Family family, PhoneRecord device, PhoneModel model, String serverUrl) {
        Map<String, Object> data = common(family, model, serverUrl);
        SipSettings sip = defaults.forAccount(device.accountSip());
        data.put("server", serverMap(serverUrl, sip));
        Map<String, Object> deviceMap = new HashMap<>();
        String mac = device.mac();
        String upper = mac.toUpperCase(Locale.ROOT);
        deviceMap.put("mac", mac);
        deviceMap.put("macUpper", upper);
        String colons = PAIRS.matcher(mac).replaceAll("$1:");
        deviceMap.put("macColons", colons);
        deviceMap.put("macColonsUpper", colons.toUpperCase(Locale.ROOT));
        deviceMap.put("macDashesUpper", PAIRS.matcher(upper).replaceAll("$1-"));
        deviceMap.put("label", device.label() == null ? "" : device.label());
        deviceMap.put("model", device.model());
        data.put("device", deviceMap);
        Map<String, String> vars = new TreeMap<>(TemplateVars.fromJson(device.accountVars()));
        vars.putAll(TemplateVars.fromJson(device.deviceVars()));
        data.put("vars", vars);
        PhoneRecord.BoundUser u = device.user();
        Map<String, Object> line = sipMap(sip);
        line.put("voicemail", voicemailNumber);
        line.put("enabled", u != null && u.enabled() && device.accountEnabled());
        String zone = "UTC";
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
            line.put("password", openSecret.apply(u.sipPasswordSealed()));
            line.put("displayName", user.get("displayName"));
            line.put("label", u.extension());
            zone = u.timeZone();
        }
        data.put("tz", new TimeZoneView(zone, Instant.now(), family.timeZoneNames()));
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

    private static Map<String, Object> serverMap(String serverUrl, SipSettings sip) {
        Map<String, Object> map = sipMap(sip);
        map.put("url", serverUrl);
        return map;
    }

    /** Where phones register: shared by {@code server} and {@code line}. */
    private static Map<String, Object> sipMap(SipSettings sip) {
        Map<String, Object> map = new HashMap<>();
        map.put("registrar", sip.registrar());
        map.put("port", sip.port());
        map.put("transport", sip.transport());
        map.put("domain", sip.domain());
        map.put("realm", sip.realm());
        return map;
    }
}
