package dialtone.provisioning;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dialtone.directory.AccountPolicy;
import dialtone.templates.FileSpec;
import dialtone.templates.TemplateSet;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the phone side serves, kept in memory between requests: each active device as read from the database
 * (its provisioning passwords opened), the files rendered for it, the common files per model, and the
 * accounts' proof policies. Bounded by bytes ({@code phone.cache-mb}). An entry is used only while nothing it
 * was read or rendered from has changed since ({@link ChangeStamps}: the device, its user, the user's
 * location, the account), the template set is the one it was rendered with, and its time zone's offset holds.
 * A miss costs one query ({@link PhoneDirectory#findActive}).
 */
final class PhoneCache {

    /** Besides its files, what an entry is taken to weigh: the record, the map, the keys. */
    private static final int ENTRY_OVERHEAD_BYTES = 1024;
    /** Rendered files carry the time zone's current offset: an entry is read again at least this often. */
    private static final long MAX_AGE_MILLIS = 3_600_000;

    /** A phone fetching the same file from the same place is recorded again only after this long. */
    static final long SAME_SIGHTING_MILLIS = 60_000;

    /** How long a refused MAC is remembered (see {@link #refused}). */
    static final long REFUSAL_MEMORY_MILLIS = 60_000;
    /** At most this many refused MACs are remembered; beyond, the least used are read again. */
    static final int MAX_REFUSALS = 10_000;
    /** A refused MAC that an active device has: nothing is remembered of it but the refusal. */
    private static final long KNOWN = -1;

    /**
     * A device as the phone side serves it (null: no active device has the MAC); {@code fromMemory} says
     * whether the database was spared, and {@code stamp} is when the database was last read for it.
     */
    record Lookup(Device device, boolean fromMemory, long stamp) {}

    /** Which of a device's files, for which template set and server URL. */
    private record FileKey(TemplateSet set, FileSpec file, String serverUrl) {}

    private record CommonKey(TemplateSet set, String family, FileSpec file, String model, String serverUrl) {}

    private record Policy(AccountPolicy policy, long stamp) {}

    private record Sighting(InetAddress address, String userAgent, String uri, String etag, long atMillis) {}

    /** One active device, read at {@code stamp}, with the files rendered for it since. */
    static final class Device {
        private final PhoneRecord record;
        private final ProvisioningPasswords passwords;
        private final long stamp;
        private final long validUntilMillis;
        private final Map<FileKey, DeviceFiles.Rendered> files;
        private volatile Sighting recorded;

        private Device(PhoneRecord record, ProvisioningPasswords passwords, long stamp, long validUntilMillis,
                       Map<FileKey, DeviceFiles.Rendered> files) {
            this.record = record;
            this.passwords = passwords;
            this.stamp = stamp;
            this.validUntilMillis = validUntilMillis;
            this.files = files;
        }

        PhoneRecord record() {
            return record;
        }

        ProvisioningPasswords passwords() {
            return passwords;
        }

        /**
         * Whether this fetch is news for the device's last-seen record: something differs from the fetch last
         * recorded (address, User-Agent, file, ETag), or that one is older than {@link #SAME_SIGHTING_MILLIS}.
         * A storm of identical fetches then costs no database writes.
         */
        boolean newSighting(InetAddress address, String userAgent, String uri, String etag, long now) {
            Sighting last = recorded;
            if (last != null && now - last.atMillis() < SAME_SIGHTING_MILLIS && last.address().equals(address)
                    && Objects.equals(last.userAgent(), userAgent) && last.uri().equals(uri) && last.etag().equals(etag)) {
                return false;
            }
            recorded = new Sighting(address, userAgent, uri, etag, now);
            return true;
        }

        private Device with(FileKey key, DeviceFiles.Rendered file) {
            Map<FileKey, DeviceFiles.Rendered> more = new HashMap<>();
            files.forEach((k, v) -> {
                if (k.set() == key.set()) {
                    more.put(k, v);
                }
            });
            more.put(key, file);
            Device next = new Device(record, passwords, stamp, validUntilMillis, Map.copyOf(more));
            next.recorded = recorded;
            return next;
        }

        private int weight() {
            int bytes = ENTRY_OVERHEAD_BYTES;
            for (DeviceFiles.Rendered file : files.values()) {
                bytes += file.body().length + file.etag().length() + 64;
            }
            return bytes;
        }
    }

    private final Function<String, Optional<PhoneRecord>> findActive;
    private final Function<String, AccountPolicy> policies;
    private final UnaryOperator<String> openSecret;
    private final ChangeStamps stamps;
    private final boolean enabled;
    private final Cache<Object, Object> entries;
    private final Cache<String, Policy> policyEntries;
    /** MACs refused lately: for one no active device has, the stamp it was found so at; else {@link #KNOWN}. */
    private final Cache<String, Long> refusals = Caffeine.newBuilder().maximumSize(MAX_REFUSALS)
            .expireAfterWrite(Duration.ofMillis(REFUSAL_MEMORY_MILLIS)).build();
    private final PhoneMetrics metrics;

    /**
     * @param findActive the one query that reads an active device and all its files need
     * @param policies reads an account's proof policy
     * @param metrics counts the rendered files found in memory (hits) and rendered again (misses)
     */
    PhoneCache(Function<String, Optional<PhoneRecord>> findActive, Function<String, AccountPolicy> policies,
               UnaryOperator<String> openSecret, ChangeStamps stamps, long maxBytes, PhoneMetrics metrics) {
        this.metrics = metrics;
        this.findActive = findActive;
        this.policies = policies;
        this.openSecret = openSecret;
        this.stamps = stamps;
        this.enabled = maxBytes > 0;
        this.entries = Caffeine.newBuilder().maximumWeight(Math.max(0, maxBytes))
                .weigher((Object key, Object value) -> value instanceof Device d ? d.weight()
                        : ((DeviceFiles.Rendered) value).body().length + 256)
                .build();
        this.policyEntries = Caffeine.newBuilder().maximumSize(10_000).build();
    }

    /**
     * The active device with this MAC, from memory or from one query; null when there is none. That there is
     * none is remembered only for a MAC refused lately ({@link #refused}), until a device with it changes.
     */
    Lookup device(String mac) {
        long now = System.currentTimeMillis();
        if (enabled && stamps.trusted()) {
            if (entries.getIfPresent(mac) instanceof Device cached && fresh(cached, now)) {
                return new Lookup(cached, true, cached.stamp);
            }
            Long noneSince = refusals.getIfPresent(mac);
            if (noneSince != null && noneSince != KNOWN && stamps.unchanged(noneSince, ChangeStamps.DEVICE, mac)) {
                return new Lookup(null, true, noneSince);
            }
        }
        long stamp = stamps.begin();
        Optional<PhoneRecord> found = findActive.apply(mac);
        if (found.isEmpty()) {
            return new Lookup(null, false, stamp);
        }
        PhoneRecord record = found.get();
        String next = record.provisioningPasswordNextSealed();
        Device device = new Device(record, new ProvisioningPasswords(record.provisioningUsername(),
                openSecret.apply(record.provisioningPasswordSealed()), next == null ? null : openSecret.apply(next)),
                stamp, validUntil(record, now), Map.of());
        keep(mac, device);
        return new Lookup(device, false, stamp);
    }

    /**
     * Notes that a request for this MAC was refused, and says whether the refusal must still cost the query a
     * MAC read from the database costs. A MAC's first refusal in a while costs one query, whether or not a
     * device has it and whether or not that device was in memory; its further refusals within
     * {@link #REFUSAL_MEMORY_MILLIS} cost none. So a flood of refused requests spares the database, and its
     * timing tells nothing but what the sender itself asked for lately.
     */
    boolean refused(String mac, Lookup lookup) {
        if (!enabled || !stamps.trusted()) {
            return lookup.fromMemory();
        }
        boolean refusedLately = refusals.getIfPresent(mac) != null;
        refusals.put(mac, lookup.device() == null ? lookup.stamp() : KNOWN);
        return lookup.fromMemory() && !refusedLately;
    }

    /** The device, if kept and still fresh; never reads the database. */
    Device kept(String mac) {
        return enabled && stamps.trusted() && entries.getIfPresent(mac) instanceof Device cached
                && fresh(cached, System.currentTimeMillis()) ? cached : null;
    }

    /**
     * The device's file for this template set and server URL, if kept; never renders. Not counted: the caller
     * counts a hit when it answers with the file, and a request passed on is counted by {@link #file}.
     */
    DeviceFiles.Rendered keptFile(Device device, TemplateSet set, FileSpec spec, String serverUrl) {
        return device.files.get(new FileKey(set, spec, serverUrl));
    }

    /** The common file, if kept; never renders. Not counted, as {@link #keptFile}. */
    DeviceFiles.Rendered keptCommon(TemplateSet set, String family, FileSpec spec, String model, String serverUrl) {
        return enabled && entries.getIfPresent(new CommonKey(set, family, spec, model, serverUrl))
                instanceof DeviceFiles.Rendered kept ? kept : null;
    }

    /** The account's proof policy, if kept and unchanged; never reads the database. */
    AccountPolicy keptPolicy(String accountId) {
        Policy kept = policyEntries.getIfPresent(accountId);
        return kept != null && stamps.trusted() && stamps.unchanged(kept.stamp(), ChangeStamps.ACCOUNT, accountId)
                ? kept.policy() : null;
    }

    /** The device's file for this template set and server URL: kept, or rendered now and kept. */
    DeviceFiles.Rendered file(Device device, TemplateSet set, FileSpec spec, String serverUrl,
                              Supplier<DeviceFiles.Rendered> render) {
        FileKey key = new FileKey(set, spec, serverUrl);
        DeviceFiles.Rendered kept = device.files.get(key);
        metrics.cacheLookup(true, kept != null);
        if (kept != null) {
            return kept;
        }
        DeviceFiles.Rendered rendered = render.get();
        keep(device.record.mac(), device.with(key, rendered));
        return rendered;
    }

    /** A common file (no device, no secret): kept per template set, family, file, model and server URL. */
    DeviceFiles.Rendered common(TemplateSet set, String family, FileSpec spec, String model, String serverUrl,
                                Supplier<DeviceFiles.Rendered> render) {
        if (!enabled) {
            metrics.cacheLookup(false, false);
            return render.get();
        }
        CommonKey key = new CommonKey(set, family, spec, model, serverUrl);
        Object found = entries.getIfPresent(key);
        metrics.cacheLookup(false, found instanceof DeviceFiles.Rendered);
        if (found instanceof DeviceFiles.Rendered kept) {
            return kept;
        }
        DeviceFiles.Rendered rendered = render.get();
        entries.put(key, rendered);
        return rendered;
    }

    /** The account's proof policy ({@code ""}: no account, the default), from memory while it is unchanged. */
    AccountPolicy policy(String accountId) {
        Policy kept = policyEntries.getIfPresent(accountId);
        if (kept != null && stamps.trusted() && stamps.unchanged(kept.stamp(), ChangeStamps.ACCOUNT, accountId)) {
            return kept.policy();
        }
        long stamp = stamps.begin();
        AccountPolicy policy = policies.apply(accountId);
        if (stamps.trusted()) {
            policyEntries.put(accountId, new Policy(policy, stamp));
        }
        return policy;
    }

    /** Forgets everything kept: the next request of every phone reads the database again. */
    void clear() {
        entries.invalidateAll();
        policyEntries.invalidateAll();
        refusals.invalidateAll();
    }

    private void keep(String mac, Device device) {
        if (enabled && stamps.trusted()) {
            entries.put(mac, device);
        }
    }

    private boolean fresh(Device device, long now) {
        PhoneRecord r = device.record;
        long stamp = device.stamp;
        return now < device.validUntilMillis
                && stamps.unchanged(stamp, ChangeStamps.DEVICE, r.mac())
                && stamps.unchanged(stamp, ChangeStamps.ACCOUNT, r.accountId())
                && (r.user() == null || stamps.unchanged(stamp, ChangeStamps.USER, r.user().id())
                        && stamps.unchanged(stamp, ChangeStamps.LOCATION, r.user().locationId()));
    }

    /** Until the device's time zone next changes its offset, and at most an hour. */
    private static long validUntil(PhoneRecord record, long now) {
        long limit = now + MAX_AGE_MILLIS;
        if (record.user() == null || record.user().timeZone() == null) {
            return limit;
        }
        try {
            ZoneOffsetTransition next = ZoneId.of(record.user().timeZone()).getRules()
                    .nextTransition(Instant.ofEpochMilli(now));
            return next == null ? limit : Math.min(limit, next.getInstant().toEpochMilli());
        } catch (RuntimeException e) {
            return limit;
        }
    }
}
