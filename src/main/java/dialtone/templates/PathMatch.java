package dialtone.templates;

/**
 * A request path recognised as one family's file: the MAC it names (normalised, or null for a common
 * file) and the model a common file names (or null).
 */
public record PathMatch(Family family, FileSpec file, String mac, PhoneModel model) {}
