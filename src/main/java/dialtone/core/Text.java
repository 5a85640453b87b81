package dialtone.core;

/** Rules for text that comes in from outside, wherever it comes in (query, JSON, CSV, forms). */
public final class Text {

    /**
     * Why text with a NUL character is refused: PostgreSQL cannot store or even compare it, so it would fail
     * deep in a query instead of as a clear 400 (H2 accepts it).
     */
    public static final String NUL_REASON = "must not contain the NUL character (\\u0000)";

    private Text() {}

    public static boolean containsNul(String text) {
        return text != null && text.indexOf('\u0000') >= 0;
    }
}
