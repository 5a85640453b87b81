package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.directory.AccountPolicy;
import dialtone.directory.DirectoryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What the phone side keeps in memory, and when it must read the database again. */
class PhoneCacheTest {

    static final String MAC = "805ec0000001";
    static final String UNKNOWN = "805ec0ffffff";
    /** MACs no active device has (besides {@link #UNKNOWN}), as the database would answer. */
    final java.util.Set<String> absent = new java.util.HashSet<>();
    final ChangeStamps stamps = new ChangeStamps();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PhoneMetrics metrics = new PhoneMetrics(registry);
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger policyReads = new AtomicInteger();
    Runnable duringRead = () -> {};

    PhoneRecord record(String mac) {
        return new PhoneRecord(mac, "acct-1", "yealink-t4x", "yealink-t46s", null, mac, "sealed-current", null,
                new PhoneRecord.BoundUser("user-1", "loc-1", "Ada", "Lovelace", "ada", "ada@example.com", false, null,
                        "101", null, "America/Chicago", false, "sip-ada", "sealed-sip", false), null, null);
    }

    PhoneCache cache(long maxBytes) {
        Function<String, Optional<PhoneRecord>> find = mac -> {
            reads.incrementAndGet();
            duringRead.run();
            return mac.equals(UNKNOWN) || absent.contains(mac) ? Optional.empty() : Optional.of(record(mac));
        };
        return new PhoneCache(find, account -> {
            policyReads.incrementAndGet();
            return AccountPolicy.DEFAULT;
        }, sealed -> "opened:" + sealed, stamps, maxBytes, metrics);
    }

    @Test
    void aKeptDeviceCostsNoQueryAndItsPasswordsAreOpened() {
        PhoneCache cache = cache(1 << 20);
        assertThat(cache.device(MAC).fromMemory()).isFalse();
        PhoneCache.Lookup again = cache.device(MAC);
        assertThat(again.fromMemory()).isTrue();
        assertThat(reads).hasValue(1);
        assertThat(again.device().passwords().current()).isEqualTo("opened:sealed-current");
        assertThat(again.device().passwords().next()).isNull();
    }

    @Test
    void everyKindOfChangeMakesTheNextLookupReadTheDatabase() {
        PhoneCache cache = cache(1 << 20);
        cache.device(MAC);
        DirectoryEvent[] changes = {new DirectoryEvent.DeviceChanged("acct-1", MAC),
                new DirectoryEvent.UserChanged("acct-1", "user-1"), new DirectoryEvent.UserDeleted("acct-1", "user-1"),
                new DirectoryEvent.LocationChanged("acct-1", "loc-1"), new DirectoryEvent.AccountChanged("acct-1"),
                new DirectoryEvent.DeviceDeleted("acct-1", MAC)};
        for (DirectoryEvent change : changes) {
            int before = reads.get();
            stamps.changed(change);
            assertThat(cache.device(MAC).fromMemory()).as(change.toString()).isFalse();
            assertThat(cache.device(MAC).fromMemory()).as(change.toString()).isTrue();
            assertThat(reads).hasValue(before + 1);
        }
    }

    @Test
    void aChangeCommittedWhileTheDeviceWasBeingReadIsNotMissed() {
        PhoneCache cache = cache(1 << 20);
        duringRead = () -> stamps.changed(new DirectoryEvent.UserChanged("acct-1", "user-1"));
        cache.device(MAC);
        duringRead = () -> {};
        assertThat(cache.device(MAC).fromMemory()).isFalse();
        assertThat(cache.device(MAC).fromMemory()).isTrue();
    }

    @Test
    void unknownMacsAreNotKept() {
        PhoneCache cache = cache(1 << 20);
        assertThat(cache.device(UNKNOWN).device()).isNull();
        cache.device(UNKNOWN);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aRefusedUnknownMacIsRememberedAsUnknownUntilADeviceWithItChanges() {
        PhoneCache cache = cache(1 << 20);
        String mac = "805ec0000002";
        absent.add(mac);
        assertThat(cache.refused(mac, cache.device(mac))).isFalse();
        PhoneCache.Lookup remembered = cache.device(mac);
        assertThat(remembered.device()).isNull();
        assertThat(remembered.fromMemory()).isTrue();
        assertThat(reads).hasValue(1);

        // The device is created: the next lookup reads the database, and finds it.
        absent.remove(mac);
        stamps.changed(new DirectoryEvent.DeviceChanged("acct-1", mac));
        PhoneCache.Lookup created = cache.device(mac);
        assertThat(created.device()).isNotNull();
        assertThat(created.fromMemory()).isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aMacsFirstRefusalCostsOneQueryAndItsNextNoneWhetherOrNotADeviceHasIt() {
        PhoneCache cache = cache(1 << 20);
        cache.device(MAC); // a phone booted lately: its device is kept
        int afterBoot = reads.get();
        assertThat(queriesForARefusal(cache, MAC)).as("a kept device's first refusal").isEqualTo(1);
        assertThat(queriesForARefusal(cache, MAC)).as("its next").isZero();

        String elsewhere = "805ec0000003"; // a device no phone asked for lately
        assertThat(queriesForARefusal(cache, elsewhere)).isEqualTo(1);
        assertThat(queriesForARefusal(cache, elsewhere)).isZero();

        assertThat(queriesForARefusal(cache, UNKNOWN)).as("an unknown MAC's first refusal").isEqualTo(1);
        assertThat(queriesForARefusal(cache, UNKNOWN)).as("its next").isZero();
        assertThat(reads.get() - afterBoot).isEqualTo(2);
    }

    /** A refused request's database queries: the lookup's, and the one the refusal may owe for equal timing. */
    private int queriesForARefusal(PhoneCache cache, String mac) {
        int before = reads.get();
        boolean owed = cache.refused(mac, cache.device(mac));
        return reads.get() - before + (owed ? 1 : 0);
    }

    @Test
    void unknownMacsAreRememberedOnlyWhenRefusedAndNotWhileOtherInstancesMayGoUnheard() {
        PhoneCache cache = cache(1 << 20);
        stamps.trust(false);
        cache.refused(UNKNOWN, cache.device(UNKNOWN));
        assertThat(cache.device(UNKNOWN).fromMemory()).isFalse();
        stamps.trust(true);
        cache.refused(UNKNOWN, cache.device(UNKNOWN));
        assertThat(cache.device(UNKNOWN).fromMemory()).isTrue();
        stamps.changedAll();
        assertThat(cache.device(UNKNOWN).fromMemory()).isFalse();
    }

    @Test
    void nothingIsKeptWhileOtherInstancesMayGoUnheard() {
        PhoneCache cache = cache(1 << 20);
        cache.device(MAC);
        stamps.trust(false);
        assertThat(cache.device(MAC).fromMemory()).isFalse();
        assertThat(cache.device(MAC).fromMemory()).isFalse();
        stamps.trust(true);
        assertThat(cache.device(MAC).fromMemory()).isFalse();
        assertThat(cache.device(MAC).fromMemory()).isTrue();
    }

    @Test
    void aRenderedFileIsRenderedOnceUntilTheDeviceChanges() {
        PhoneCache cache = cache(1 << 20);
        AtomicInteger renders = new AtomicInteger();
        java.util.function.Supplier<DeviceFiles.Rendered> render = () -> {
            renders.incrementAndGet();
            return DeviceFiles.of("file " + renders.get());
        };
        assertThat(body(cache.file(cache.device(MAC).device(), null, null, "https://a", render))).isEqualTo("file 1");
        assertThat(body(cache.file(cache.device(MAC).device(), null, null, "https://a", render))).isEqualTo("file 1");
        assertThat(body(cache.file(cache.device(MAC).device(), null, null, "https://b", render)))
                .as("another server URL is another file").isEqualTo("file 2");
        stamps.changed(ChangeStamps.DEVICE, MAC);
        assertThat(body(cache.file(cache.device(MAC).device(), null, null, "https://a", render))).isEqualTo("file 3");
    }

    @Test
    void lookupsOfRenderedFilesAreCountedAsHitsAndMissesByKind() {
        PhoneCache cache = cache(1 << 20);
        java.util.function.Supplier<DeviceFiles.Rendered> render = () -> DeviceFiles.of("file");
        cache.file(cache.device(MAC).device(), null, null, "https://a", render);
        cache.file(cache.device(MAC).device(), null, null, "https://a", render);
        cache.keptFile(cache.device(MAC).device(), null, null, "https://a");
        cache.keptFile(cache.device(MAC).device(), null, null, "https://other");
        cache.common(null, "yealink", null, "yealink-t46s", "https://a", render);
        cache.common(null, "yealink", null, "yealink-t46s", "https://a", render);

        assertThat(lookups("own", "hit")).as("keptFile leaves counting to the answer").isEqualTo(1);
        assertThat(lookups("own", "miss")).isEqualTo(1);
        assertThat(lookups("common", "hit")).isEqualTo(1);
        assertThat(lookups("common", "miss")).isEqualTo(1);
    }

    private double lookups(String file, String result) {
        return registry.get("dialtone_rendered_file_cache_lookups").tag("file", file).tag("result", result).counter()
                .count();
    }

    @Test
    void theAccountPolicyIsReadOnceUntilTheAccountChanges() {
        PhoneCache cache = cache(1 << 20);
        cache.policy("acct-1");
        cache.policy("acct-1");
        assertThat(policyReads).hasValue(1);
        stamps.changed(new DirectoryEvent.AccountChanged("acct-1"));
        cache.policy("acct-1");
        assertThat(policyReads).hasValue(2);
    }

    @Test
    void sizeZeroKeepsNothing() {
        PhoneCache cache = cache(0);
        cache.device(MAC);
        assertThat(cache.device(MAC).fromMemory()).isFalse();
    }

    private static String body(DeviceFiles.Rendered file) {
        return new String(file.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
