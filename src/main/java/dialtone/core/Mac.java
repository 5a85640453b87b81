package dialtone.core;

import java.util.Optional;

/** MAC address rules: any common notation in, 12 lowercase hex digits out. */
public final class Mac {

    private Mac() {}

    /**
     * Normalises {@code 00:15:65:AA:BB:CC}, {@code 00-15-65-aa-bb-cc}, {@code 0015.65aa.bbcc} or
     * {@code 001565AABBCC} to {@code 001565aabbcc}. Anything else (wrong length, non-ASCII-hex digits,
     * mixed separators in odd places, the all-zero wildcard) is empty.
     */
    public static Optional<String> normalise(String text) {
        if (text == null || text.length() > 17) {
            return Optional.empty();
        }
        StringBuilder hex = new StringBuilder(12);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':' || c == '-' || c == '.') {
                continue;
            }
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                hex.append(Character.toLowerCase(c));
            } else {
                return Optional.empty();
            }
        }
        String mac = hex.toString();
        if (mac.length() != 12 || mac.equals("000000000000") || !separatorsWellPlaced(text)) {
            return Optional.empty();
        }
        return Optional.of(mac);
    }

    private static boolean separatorsWellPlaced(String text) {
        return text.length() == 12
                || text.matches("(?i)[0-9a-f]{2}([:-])[0-9a-f]{2}(\\1[0-9a-f]{2}){4}")
                || text.matches("(?i)[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}");
    }
}
