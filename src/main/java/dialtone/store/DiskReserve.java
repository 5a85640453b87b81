package dialtone.store;

import dialtone.core.Problem;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;

/**
 * Refuses a write to the embedded database while the disk under it has less than {@link #RESERVE_BYTES} free,
 * before H2 tries it. H2 closes its database for good when a write to its file fails (every later request,
 * reads included, then fails until a restart); refused early, the database stays open: phones keep being
 * served from it, the API answers 507 and writes work again as soon as space is freed.
 */
final class DiskReserve implements ExecuteListener {

    static final long RESERVE_BYTES = 32L << 20;
    private static final String NO_SPACE = "the disk under the database has less than 32 MiB free; nothing was"
            + " changed; writes work again once space is freed";

    private final FileStore store;
    private final long reserveBytes;

    private DiskReserve(FileStore store, long reserveBytes) {
        this.store = store;
        this.reserveBytes = reserveBytes;
    }

    /** A guard for the disk holding this embedded H2 file database, or null for any other URL. */
    static DiskReserve forUrl(String jdbcUrl, long reserveBytes) {
        String prefix = "jdbc:h2:file:";
        if (!jdbcUrl.startsWith(prefix)) {
            return null;
        }
        int end = jdbcUrl.indexOf(';');
        Path dir = Path.of(jdbcUrl.substring(prefix.length(), end < 0 ? jdbcUrl.length() : end)).toAbsolutePath()
                .getParent();
        try {
            Files.createDirectories(dir);
            return new DiskReserve(Files.getFileStore(dir), reserveBytes);
        } catch (IOException e) {
            return null; // H2 reports the same directory problem more precisely when it opens the database.
        }
    }

    @Override
    public void executeStart(ExecuteContext ctx) {
        if (ctx.type() != ExecuteType.READ && freeBytes() < reserveBytes) {
            throw new Problem(Problem.Kind.NO_SPACE, NO_SPACE);
        }
    }

    private long freeBytes() {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: let the write try
        }
    }
}
