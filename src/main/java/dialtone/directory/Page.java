package dialtone.directory;

import java.util.List;
import java.util.function.Function;

/** One page of a list and the cursor of the next page (null on the last one). */
public record Page<T>(List<T> items, String next) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** Caps a requested page size: absent gives the default, anything above the maximum gives the maximum. */
    public static int cap(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        return Math.max(1, Math.min(MAX_LIMIT, requested));
    }

    /** Builds a page from {@code limit + 1} fetched rows: the extra row only says that more exist. */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursor) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), cursor.apply(items.get(limit - 1)));
    }
}
