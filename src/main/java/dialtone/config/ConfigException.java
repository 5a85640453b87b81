package dialtone.config;

/** A configuration value that cannot be used; the message names the key and the value. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
