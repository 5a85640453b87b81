package dialtone.security;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest Digest nonce count ({@code nc}) accepted for each nonce still in use, in bounded memory. A nonce
 * pushed out to make room can no longer be tracked, so from then on every nonce issued no later than it is
 * refused (the client gets a fresh one): under a flood nonces expire sooner, but no replay is ever accepted.
 */
final class NonceCounts {

    private record Seen(long issuedAt, long count) {}

    private final int capacity;
    private final long lifetimeMillis;
    /** In order of first use. */
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();
    private long forgottenUpTo = Long.MIN_VALUE;

    NonceCounts(int capacity, long lifetimeMillis) {
        this.capacity = capacity;
        this.lifetimeMillis = lifetimeMillis;
    }

    /** Records {@code count} for the nonce; false when it is not higher than one already accepted (a replay). */
    synchronized boolean advance(String nonce, long issuedAt, long count, long now) {
        if (issuedAt <= forgottenUpTo) {
            return false;
        }
        Seen before = seen.get(nonce);
        if (before != null && count <= before.count()) {
            return false;
        }
        seen.put(nonce, new Seen(issuedAt, count));
        dropExpired(now);
        while (seen.size() > capacity) {
            Iterator<Map.Entry<String, Seen>> eldest = seen.entrySet().iterator();
            forgottenUpTo = Math.max(forgottenUpTo, eldest.next().getValue().issuedAt());
            eldest.remove();
        }
        return true;
    }

    /** Expired nonces are refused anyway: forgetting them costs no safety. */
    private void dropExpired(long now) {
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
            if (now - it.next().issuedAt() <= lifetimeMillis) {
                return;
            }
            it.remove();
        }
    }

    synchronized int size() {
        return seen.size();
    }
}
