package dialtone.templates;

import java.util.Map;

/**
 * A request path recognised as one family's file: the MAC it names (normalised, or null for a common
 * file), the model a common file names (or null), and every placeholder's value.
 */
public record PathMatch(Family family, FileSpec file, String mac, PhoneModel model, Map<String, String> values) {}
