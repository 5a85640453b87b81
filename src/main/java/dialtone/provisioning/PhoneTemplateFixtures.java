package dialtone.provisioning;

import dialtone.config.DialtoneConfig;
import dialtone.templates.Family;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateFixtures;
import java.util.Map;

/**
 * The data {@code templates check} renders every template with: shaped by the real {@link PhoneDataModel},
 * with names that try to break out of every format (quotes, ampersands, closing tags).
 */
public final class PhoneTemplateFixtures implements TemplateFixtures {

    static final String HOSTILE_FIRST_NAME = "Ada \"</reg><reg x=\"1\">";
    private final PhoneDataModel model;

    public PhoneTemplateFixtures(DialtoneConfig.Sip sip, DialtoneConfig.Time time) {
        this.model = new PhoneDataModel(sip, time, sealed -> sealed);
    }

    @Override
    public Map<String, Object> common(Family family, PhoneModel phoneModel) {
        return model.common(family, phoneModel, "https://prov.example.invalid:8443");
    }

    @Override
    public Map<String, Object> device(Family family, PhoneModel phoneModel, boolean bound) {
        PhoneRecord.BoundUser user = !bound ? null : new PhoneRecord.BoundUser("fixture-user", "fixture-location", HOSTILE_FIRST_NAME, "O'Hara & Sons",
                "ada.example", "ada@example.com", true, "+14155552671", "101", "+14155552672", "America/St_Johns",
                false, "u101fixture", "fixture-sip-password", true, true, null, null);
        PhoneRecord device = new PhoneRecord("0a1b2c3d4e5f", "account-fixture", family.id(),
                phoneModel == null ? "" : phoneModel.id(), "Desk & <hall>", "0a1b2c3d4e5f", "sealed", null, user,
                null, null, dialtone.directory.AccountSip.NONE, true);
        return model.forDevice(family, device, phoneModel, "https://prov.example.invalid:8443");
    }
}
