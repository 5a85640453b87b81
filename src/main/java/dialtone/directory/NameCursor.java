package dialtone.directory;

import dialtone.core.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Where a page of users sorted by name ended: an opaque cursor of last name, first name and id. */
record NameCursor(String last, String first, String id) {

    static String of(User user) {
        String text = user.lastName().toLowerCase(Locale.ROOT) + "\n" + user.firstName().toLowerCase(Locale.ROOT)
                + "\n" + user.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static NameCursor parse(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 3) {
                return new NameCursor(parts[0], parts[1], parts[2]);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as any other cursor that was not returned as 'next'
        }
        throw Problem.badField("after", "must be a cursor returned as 'next'");
    }
}
