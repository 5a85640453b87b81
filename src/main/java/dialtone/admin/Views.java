package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.directory.Credentials;
import dialtone.directory.Page;
import dialtone.core.Json;
import java.util.Map;

/** JSON shapes of the admin API that are more than a record. */
final class Views {

    private Views() {}

    /** A record plus one extra field (e.g. the credentials shown once on creation). */
    static ObjectNode with(Object record, String field, Credentials credentials) {
        ObjectNode node = Json.MAPPER.valueToTree(record);
        node.set(field, Json.MAPPER.valueToTree(credentials));
        return node;
    }

    static Map<String, Object> page(Page<?> page) {
        return page(page, item -> item);
    }

    /** A page whose items are shown through {@code view}. */
    static <T> Map<String, Object> page(Page<T> page, java.util.function.Function<T, Object> view) {
        java.util.LinkedHashMap<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("items", page.items().stream().map(view).toList());
        map.put("next", page.next());
        return map;
    }
}
