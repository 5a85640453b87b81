package dialtone.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Batches of per-device writes take their row locks in MAC order, like DeviceService's "order by mac for
 * update": two instances writing overlapping batches on PostgreSQL never deadlock on lock order.
 */
final class MacOrder {

    private MacOrder() {
    }

    /** Takes every entry out of {@code pending} (keyed by MAC), in MAC order; entries added meanwhile stay. */
    static <V> List<V> drain(Map<String, V> pending) {
        List<V> drained = new ArrayList<>();
        for (String mac : pending.keySet().stream().sorted().toList()) {
            V value = pending.remove(mac);
            if (value != null) {
                drained.add(value);
            }
        }
        return drained;
    }
}
