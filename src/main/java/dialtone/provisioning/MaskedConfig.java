package dialtone.provisioning;

import dialtone.templates.Family;
import dialtone.templates.FileSpec;
import dialtone.templates.LiveTemplates;
import dialtone.templates.OutputFormat;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateException;
import dialtone.templates.TemplateSet;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A device's own files as it would get them now, for people to read: every secret of its data (as
 * {@link PhoneDataModel#secrets} names them) is replaced by {@link #MASK} wherever it occurs, as written or as the
 * file's format or a URL escapes it.
 */
final class MaskedConfig {

    static final String MASK = "********";
    private final LiveTemplates templates;
    private final PhoneDirectory directory;
    private final PhoneDataModel dataModel;
    private final Supplier<String> serverUrl;

    MaskedConfig(LiveTemplates templates, PhoneDirectory directory, PhoneDataModel dataModel, Supplier<String> serverUrl) {
        this.templates = templates;
        this.directory = directory;
        this.dataModel = dataModel;
        this.serverUrl = serverUrl;
    }

    /** File name → masked text, in the family's order, each template once; empty for a device that is not active. */
    Map<String, String> files(String mac) {
        Map<String, String> out = new LinkedHashMap<>();
        PhoneRecord device = directory.findActive(mac).orElse(null);
        TemplateSet set = templates.current();
        PhoneModel model = device == null ? null : set.families().model(device.model()).orElse(null);
        Family family = model == null ? null : set.families().family(model.family()).orElse(null);
        if (family == null) {
            return out;
        }
        Map<String, Object> data = dataModel.forDevice(family, device, model, serverUrl.get());
        List<String> secrets = variants(dataModel.secrets(device, data));
        Set<String> rendered = new HashSet<>();
        for (FileSpec file : family.files()) {
            if (!file.hasMac() || !rendered.add(file.template())) {
                continue;
            }
            String text;
            try {
                text = set.render(family, file, data);
            } catch (TemplateException e) {
                text = "(this file cannot be rendered: " + e.getMessage() + ")";
            }
            out.put(name(file, device.mac(), model), mask(text, secrets));
        }
        return out;
    }

    /** Each secret as written and as the file formats and a URL escape it; longest first, so none is left half-masked. */
    static List<String> variants(Set<String> secrets) {
        Set<String> forms = new HashSet<>();
        for (String secret : secrets) {
            forms.add(secret);
            for (OutputFormat format : OutputFormat.values()) {
                forms.add(format.escape(secret));
            }
            forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        }
        forms.removeIf(String::isEmpty);
        List<String> ordered = new ArrayList<>(forms);
        ordered.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return ordered;
    }

    static String mask(String text, List<String> secrets) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** The name the phone asks for the file by. */
    private static String name(FileSpec file, String mac, PhoneModel model) {
        String name = file.path();
        for (String placeholder : file.placeholders()) {
            String value = switch (placeholder) {
                case "mac" -> mac;
                case "MAC" -> mac.toUpperCase(Locale.ROOT);
                default -> model.attribute(placeholder);
            };
            name = name.replace("{" + placeholder + "}", value == null ? "" : value);
        }
        return file.macQuery() == null ? name : name + "?" + file.macQuery() + "=" + mac.toUpperCase(Locale.ROOT);
    }
}
