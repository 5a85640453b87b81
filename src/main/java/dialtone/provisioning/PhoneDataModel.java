package dialtone.provisioning;

import dialtone.config.DialtoneConfig;
import dialtone.directory.SipSettings;
import dialtone.directory.TemplateVars;
import dialtone.templates.Family;
import dialtone.templates.PhoneModel;
import dialtone.templates.TimeZoneView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Builds what templates see: plain maps of strings, numbers and booleans plus the time-zone helper.
 * Names here are the template API documented in the README; change them only with the templates.
 */
final class PhoneDataModel {

    private static final java.util.regex.Pattern PAIRS = java.util.regex.Pattern.compile("(..)(?!$)");
    /** A custom variable holds a secret when a word of its name (split at '_') says so, e.g. {@code admin_password}. */
    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "secret", "token", "pin", "puk");

    /** Yealink counts the forward-on-no-answer delay in rings of about six seconds, from 1 to 20. */
    private static final int SECONDS_PER_RING = 6;

    private final DialtoneConfig.Sip sip;
    private final SipSettings defaults;
    private final DialtoneConfig.Time time;
    private final UnaryOperator<String> openSecret;

    /** {@code openSecret} turns a sealed secret into its value (only called for a proven device). */
    PhoneDataModel(DialtoneConfig.Sip sip, DialtoneConfig.Time time, UnaryOperator<String> openSecret) {
        this.sip = sip;
        this.defaults = SipSettings.defaults(sip.registrar(), sip.port(), sip.domain(), sip.transport(), sip.realm());
        this.time = time;
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
        data.put("time", Map.of("ntpServer", time.ntpServer(), "overrideDhcp", time.overrideDhcp()));
        data.put("vars", Map.of());
        return data;
    }

    /**
     * Data for a device's own file, with its account's SIP settings; a device without a user gets
     * {@code line.enabled = false} and no secret, and a disabled user or a user of a disabled account a line that is off.
     */
    Map<String, Object> forDevice(Family family, PhoneRecord device, PhoneModel model, String serverUrl) {
        Map<String, Object> data = common(family, model, serverUrl);
        SipSettings account = defaults.forAccount(device.accountSip());
        data.put("server", serverMap(serverUrl, account));
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
        // For files that tell the phone how to come back (Cisco's profile rules): the pending next password
        // once one is issued, so the phone learns it and its next request promotes it.
        String provisioningPassword = openSecret.apply(device.provisioningPasswordNextSealed() != null
                ? device.provisioningPasswordNextSealed() : device.provisioningPasswordSealed());
        deviceMap.put("provisioningUsername", device.provisioningUsername());
        deviceMap.put("provisioningPassword", provisioningPassword);
        deviceMap.put("serverUrlWithCredentials", withUserInfo(serverUrl, device.provisioningUsername(),
                provisioningPassword));
        data.put("device", deviceMap);
        Map<String, String> vars = new TreeMap<>(TemplateVars.fromJson(device.accountVars()));
        vars.putAll(TemplateVars.fromJson(device.deviceVars()));
        data.put("vars", vars);
        PhoneRecord.BoundUser u = device.user();
        Map<String, Object> line = sipMap(account);
        line.put("voicemail", sip.voicemailNumber());
        line.put("enabled", u != null && u.enabled() && device.accountEnabled());
        line.put("extension", "");
        line.put("phoneNumber", "");
        String forwardTarget = "";
        Integer noAnswerSeconds = null;
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
            line.put("quotedDisplayName", sipQuoted((String) user.get("displayName")));
            line.put("label", u.extension());
            line.put("extension", u.extension());
            line.put("phoneNumber", user.get("phoneNumber"));
            user.put("noAnswerForward", u.noAnswerForward() == null ? "" : u.noAnswerForward());
            // The phone's forward on no answer: the user's own no-answer target and time when set (the PBX uses
            // the same), else the unreachable target after the account's or device's forward_no_answer_seconds.
            forwardTarget = u.noAnswerForward() != null ? u.noAnswerForward() : (String) user.get("unreachableForward");
            noAnswerSeconds = u.noAnswerForward() != null ? u.noAnswerSeconds() : null;
            zone = u.timeZone();
        } else {
            line.put("quotedDisplayName", "\"\"");
        }
        data.put("forward", forwardMap(forwardTarget,
                noAnswerSeconds != null ? noAnswerSeconds : TemplateVars.forwardSeconds(vars)));
        data.put("tz", new TimeZoneView(zone, Instant.now(), family.timeZoneNames()));
        data.put("line", line);
        return data;
    }

    /**
     * Every secret value in a device's data ({@link #forDevice}): the line's SIP password, the provisioning
     * passwords (current and pending) and the custom variables whose names say they are secret. What a file shows
     * anyone but the phone must not contain any of them.
     */
    Set<String> secrets(PhoneRecord device, Map<String, Object> data) {
        Set<String> secrets = new HashSet<>();
        if (data.get("line") instanceof Map<?, ?> line && line.get("password") instanceof String password) {
            secrets.add(password);
        }
        for (String sealed : new String[] {device.provisioningPasswordSealed(), device.provisioningPasswordNextSealed()}) {
            if (sealed != null) {
                secrets.add(openSecret.apply(sealed));
            }
        }
        if (data.get("vars") instanceof Map<?, ?> vars) {
            vars.forEach((name, value) -> {
                if (isSecretVariable((String) name)) {
                    secrets.add((String) value);
                }
            });
        }
        secrets.removeIf(s -> s == null || s.isEmpty());
        return secrets;
    }

    static boolean isSecretVariable(String name) {
        for (String word : name.split("_")) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The phone's own forward on no answer: on only with a target; off, with an empty target, without one
     * (so a target removed in Dialtone is also cleared on the phone).
     */
    private static Map<String, Object> forwardMap(String target, int seconds) {
        Map<String, Object> forward = new HashMap<>();
        forward.put("enabled", !target.isEmpty());
        forward.put("target", target);
        forward.put("seconds", seconds);
        forward.put("rings", Math.max(1, Math.min(20, (seconds + SECONDS_PER_RING - 1) / SECONDS_PER_RING)));
        return forward;
    }

    /**
     * {@code https://host:port} as {@code https://user:password@host:port}: Linphone answers the provisioning
     * server's challenge only with credentials carried in its config-uri (it offers its SIP account's otherwise).
     */
    static String withUserInfo(String url, String user, String password) {
        int at = url.indexOf("://");
        if (at < 0) {
            return url;
        }
        return url.substring(0, at + 3) + URLEncoder.encode(user, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + url.substring(at + 3);
    }

    /** A SIP quoted-string (RFC 3261 §25.1): the value in double quotes, with '"' and '\\' backslash-escaped. */
    static String sipQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
        map.put("usesOutboundProxy", !sip.isDomain(sip.registrar()));
        return map;
    }
}
