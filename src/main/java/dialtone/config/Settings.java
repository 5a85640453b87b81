package dialtone.config;

import java.util.Locale;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Flat key/value view of the configuration with typed, validating accessors. */
final class Settings {

    private final Map<String, String> fromFile = new LinkedHashMap<>();
    private final Map<String, String> env;
    private final Set<String> known = new HashSet<>();

    Settings(Map<String, String> env) {
        this.env = env;
    }

    static String envName(String key) {
        return "DIALTONE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    void putFromFile(String key, String value) {
        fromFile.put(key, value);
    }

    void rejectUnknownKeys() {
        for (String key : fromFile.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(key + ": unknown configuration key");
            }
        }
    }

    private String raw(String key, String fallback) {
        known.add(key);
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            return fromEnv.trim();
        }
        return fromFile.getOrDefault(key, fallback);
    }

    String string(String key, String fallback) {
        return raw(key, fallback);
    }

    Path path(String key, String fallback) {
        String value = raw(key, fallback);
        if (value.isBlank() || value.indexOf('\0') >= 0) {
            throw new ConfigException(key + ": '" + value + "' is not a usable path");
        }
        return Path.of(value);
    }

    int integer(String key, int fallback, int min, int max) {
        String value = raw(key, Integer.toString(fallback));
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key + ": '" + value + "' is not a whole number between " + min + " and " + max);
    }

    int port(String key, int fallback) {
        String value = raw(key, Integer.toString(fallback));
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0 && parsed <= 65535) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key + ": '" + value + "' is not a TCP/UDP port (0-65535)");
    }

    String oneOf(String key, String fallback, String... allowed) {
        String value = raw(key, fallback).toLowerCase(Locale.ROOT);
        if (Arrays.asList(allowed).contains(value)) {
            return value;
        }
        throw new ConfigException(key + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }

    boolean bool(String key, boolean fallback) {
        String value = raw(key, Boolean.toString(fallback)).trim().toLowerCase();
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigException(key + ": '" + value + "' is not true or false");
    }

    List<String> list(String key) {
        String value = raw(key, "");
        return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
}
