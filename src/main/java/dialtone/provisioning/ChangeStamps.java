package dialtone.provisioning;

import dialtone.directory.DirectoryEvent;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each account, location, user and device last changed, as a number in one sequence, so that what was
 * read from the database before a change can tell it is stale. Fixed memory: ids share 2^16 slots by hash, so a
 * change may also age a few unrelated entries (they are merely read again), never the reverse.
 *
 * <p>A reader takes {@link #begin()} before it reads the database and keeps it with what it read; the writer's
 * event arrives after its commit. Whatever order the two run in, a read that could have missed the change
 * carries a stamp below the change's number, and {@link #unchanged} says no.
 */
final class ChangeStamps {

    static final String ACCOUNT = "account";
    static final String LOCATION = "location";
    static final String USER = "user";
    static final String DEVICE = "device";
    private static final int SLOTS = 1 << 16;

    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLongArray lastChange = new AtomicLongArray(SLOTS);
    private volatile long floor;
    private volatile boolean trusted = true;

    /** The stamp to keep with what is about to be read. */
    long begin() {
        return sequence.get();
    }

    void changed(String kind, String id) {
        long number = sequence.incrementAndGet();
        lastChange.accumulateAndGet(slot(kind, id), number, Math::max);
    }

    /** Anything may have changed (e.g. other instances' changes were missed): everything read so far is stale. */
    void changedAll() {
        floor = sequence.incrementAndGet();
    }

    /**
     * Whether changes can be heard at all: false while another instance's changes could go unheard (the
     * database's notifications are down), when nothing read may be kept.
     */
    boolean trusted() {
        return trusted;
    }

    void trust(boolean heard) {
        if (heard) {
            changedAll();
        }
        trusted = heard;
    }

    /** Whether the object {@code kind}/{@code id} (null: none) has not changed since {@code stamp} was taken. */
    boolean unchanged(long stamp, String kind, String id) {
        return stamp >= floor && (id == null || lastChange.get(slot(kind, id)) <= stamp);
    }

    /** Ages whatever the event's change may show in: the object itself, and for an account all it holds. */
    void changed(DirectoryEvent event) {
        if (event instanceof DirectoryEvent.AccountChanged e) {
            changed(ACCOUNT, e.accountId());
        } else if (event instanceof DirectoryEvent.LocationChanged e) {
            changed(LOCATION, e.locationId());
        } else if (event instanceof DirectoryEvent.UserChanged e) {
            changed(USER, e.userId());
        } else if (event instanceof DirectoryEvent.UserDeleted e) {
            changed(USER, e.userId());
        } else if (event instanceof DirectoryEvent.DeviceChanged e) {
            changed(DEVICE, e.mac());
        } else if (event instanceof DirectoryEvent.DeviceDeleted e) {
            changed(DEVICE, e.mac());
        }
    }

    private static int slot(String kind, String id) {
        int h = kind.hashCode() * 31 + id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (SLOTS - 1);
    }
}
