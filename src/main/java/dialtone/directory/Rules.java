package dialtone.directory;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dialtone.core.FieldError;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validation rules of directory fields, in one place. Each check adds a {@link FieldError} naming
 * the field and the reason to the given list and returns whether the value passed.
 */
public final class Rules {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,64}");
    private static final Pattern EXTENSION = Pattern.compile("[0-9]{2,10}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern PIN = Pattern.compile("[0-9]{4,10}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final Set<String> ISO_COUNTRIES = Set.of(java.util.Locale.getISOCountries());
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** The portal password policy's bounds (a long passphrase is welcome; more than this is refused). */
    public static final int MIN_PORTAL_PASSWORD = 12;
    public static final int MAX_PORTAL_PASSWORD = 128;
    private static final Set<String> COMMON_PASSWORDS = Set.of("password1234", "123456789012", "qwertyuiopas",
            "passwordpassword", "letmein12345", "welcome12345", "iloveyou1234", "administrator", "changeme1234",
            "qwerty123456", "password123!", "1q2w3e4r5t6y", "abcdefghijkl", "trustno1trustno1");

    private Rules() {}

    /**
     * A password a person chooses for the portal: 12 to 128 characters, no control characters, not one repeated
     * character, not a well-known password, and not containing the username. No composition rules (NIST SP
     * 800-63B): length is what makes a password strong.
     */
    public static boolean portalPassword(List<FieldError> errors, String field, String value, String username) {
        if (!required(errors, field, value)) {
            return false;
        }
        String reason = null;
        if (value.length() < MIN_PORTAL_PASSWORD || value.length() > MAX_PORTAL_PASSWORD) {
            reason = "must be " + MIN_PORTAL_PASSWORD + " to " + MAX_PORTAL_PASSWORD + " characters long";
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            reason = "must not contain control characters";
        } else if (value.chars().distinct().count() == 1) {
            reason = "must not be one character repeated";
        } else if (COMMON_PASSWORDS.contains(value.toLowerCase(java.util.Locale.ROOT))) {
            reason = "is a well-known password; choose another";
        } else if (username != null && username.length() >= 3
                && value.toLowerCase(java.util.Locale.ROOT).contains(username.toLowerCase(java.util.Locale.ROOT))) {
            reason = "must not contain your username";
        }
        if (reason != null) {
            errors.add(new FieldError(field, reason));
            return false;
        }
        return true;
    }

    public static boolean required(List<FieldError> errors, String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            errors.add(new FieldError(field, "is required"));
            return false;
        }
        return true;
    }

    /** Free text such as a name: 1 to max characters, no control characters (they would break configs). */
    public static boolean text(List<FieldError> errors, String field, String value, int max) {
        if (!required(errors, field, value)) {
            return false;
        }
        if (value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return false;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not contain control characters such as newlines"));
            return false;
        }
        return true;
    }

    public static boolean username(List<FieldError> errors, String value) {
        if (!required(errors, "username", value)) {
            return false;
        }
        if (!USERNAME.matcher(value).matches()) {
            errors.add(new FieldError("username",
                    "must be 1-64 characters of letters A-Z, digits, '.', '-', ':', '[' or ']'"));
            return false;
        }
        return true;
    }

    public static boolean extension(List<FieldError> errors, String field, String value) {
        if (!required(errors, field, value)) {
            return false;
        }
        if (!EXTENSION.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be 2 to 10 digits"));
            return false;
        }
        return true;
    }

    public static boolean isExtension(String value) {
        return value != null && EXTENSION.matcher(value).matches();
    }

    public static boolean email(List<FieldError> errors, String value) {
        if (!required(errors, "email", value)) {
            return false;
        }
        boolean valid = value.length() <= 254 && value.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
        if (valid) {
            try {
                new InternetAddress(value, true).validate();
            } catch (AddressException e) {
                valid = false;
            }
        }
        if (!valid) {
            errors.add(new FieldError("email", "must be a valid e-mail address such as name@example.com"));
        }
        return valid;
    }

    /** An E.164 number that libphonenumber considers valid, e.g. {@code +14155550101}. */
    public static boolean e164(List<FieldError> errors, String field, String value) {
        if (isE164(value)) {
            return true;
        }
        errors.add(new FieldError(field, "must be a valid phone number in E.164 form, e.g. +14155552671"));
        return false;
    }

    public static boolean isE164(String value) {
        if (value == null || !E164.matcher(value).matches()) {
            return false;
        }
        try {
            return PHONES.isValidNumber(PHONES.parse(value, null));
        } catch (NumberParseException e) {
            return false;
        }
    }

    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]{2,45}]");

    /** A host name, IPv4 address or bracketed IPv6 address, as SIP domains, registrars and realms are written. */
    public static boolean host(List<FieldError> errors, String field, String value) {
        if (value != null && HOST.matcher(value).matches()) {
            return true;
        }
        errors.add(new FieldError(field, "must be a host name such as sip.example.com or an IP address"));
        return false;
    }

    /** A seconds value within {@code min..max}. */
    public static boolean between(List<FieldError> errors, String field, Integer value, int min, int max) {
        if (value != null && value >= min && value <= max) {
            return true;
        }
        errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
        return false;
    }

    /** A SIP or SIPS URI with a host, as a device's contact: {@code sip:ada@192.0.2.10:5060}. */
    public static boolean isSipUri(String value) {
        return value.length() <= 300 && SipTarget.parse(value).isPresent();
    }

    public static boolean timeZone(List<FieldError> errors, String field, String value) {
        if (!required(errors, field, value)) {
            return false;
        }
        if (!ZONES.contains(value)) {
            errors.add(new FieldError(field, "must be an IANA time zone such as America/New_York"));
            return false;
        }
        return true;
    }

    /** 4 to 10 digits, and not one a stranger would guess first (one repeated digit, a straight run). */
    public static boolean pin(List<FieldError> errors, String value) {
        if (!required(errors, "pin", value)) {
            return false;
        }
        if (!PIN.matcher(value).matches()) {
            errors.add(new FieldError("pin", "must be 4 to 10 digits"));
            return false;
        }
        if (isTrivialPin(value)) {
            errors.add(new FieldError("pin", "is too easy to guess (one repeated digit or a straight run)"));
            return false;
        }
        return true;
    }

    static boolean isTrivialPin(String pin) {
        boolean repeated = true;
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < pin.length(); i++) {
            int step = pin.charAt(i) - pin.charAt(i - 1);
            repeated &= step == 0;
            up &= step == 1;
            down &= step == -1;
        }
        return repeated || up || down;
    }

    public static boolean country(List<FieldError> errors, String field, String value) {
        if (!required(errors, field, value)) {
            return false;
        }
        if (!COUNTRY.matcher(value).matches() || !ISO_COUNTRIES.contains(value)) {
            errors.add(new FieldError(field, "must be an ISO 3166 alpha-2 country code such as US"));
            return false;
        }
        return true;
    }

    public static boolean postalCode(List<FieldError> errors, String field, String value, String country) {
        if (!text(errors, field, value, 20)) {
            return false;
        }
        if ("US".equals(country) && !value.matches("[0-9]{5}(-[0-9]{4})?")) {
            errors.add(new FieldError(field, "must be a US ZIP code: 12345 or 12345-6789"));
            return false;
        }
        return true;
    }

    /** Validates a civic address whose fields are reported as {@code prefix.street}, {@code prefix.city}, ... */
    public static void address(List<FieldError> errors, String prefix, Address address) {
        if (address == null) {
            errors.add(new FieldError(prefix, "is required"));
            return;
        }
        text(errors, prefix + ".street", address.street(), 200);
        text(errors, prefix + ".city", address.city(), 100);
        text(errors, prefix + ".region", address.region(), 100);
        country(errors, prefix + ".country", address.country());
        postalCode(errors, prefix + ".postalCode", address.postalCode(), address.country());
    }
}
