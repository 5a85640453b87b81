package dialtone.templates;

import java.util.Map;

/** Made-up data shaped exactly like real template data, for checking templates without a database. */
public interface TemplateFixtures {

    /** What a common file sees; {@code model} is null for a file no model is named in. */
    Map<String, Object> common(Family family, PhoneModel model);

    /** What a device's own file sees, for a device bound to a user or not. */
    Map<String, Object> device(Family family, PhoneModel model, boolean bound);
}
