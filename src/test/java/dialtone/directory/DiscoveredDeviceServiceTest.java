package dialtone.directory;

import static dialtone.store.generated.Tables.DISCOVERED_DEVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.MemoryDirectory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sightings of unknown devices are gathered in memory and written together: a flood of unknown requests costs
 * one commit per batch, not one per request, and the MACs waiting at once are bounded.
 */
class DiscoveredDeviceServiceTest {

    /** Longer than any test: only reads and close write, so what the test sees is theirs. */
    static final long NO_TIMED_WRITE = 3_600_000;

    MemoryDirectory memory;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
    }

    @AfterEach
    void stop() {
        memory.close();
    }

    private DiscoveredDeviceService service(int maxPending) {
        return new DiscoveredDeviceService(memory.db(), 100, maxPending, NO_TIMED_WRITE);
    }

    private static DiscoveredDevice sighting(String mac, String address) {
        return new DiscoveredDevice(mac, "yealink-t4x", "yealink-t46s", "SIP-T46S", "66.86.0.15",
                "Yealink SIP-T46S 66.86.0.15", address, null, null, 1);
    }

    @Test
    void repeatedSightingsOfOneMacBecomeOneRowWithTheirCountAndTheLatestAddress() {
        DiscoveredDeviceService service = service(DiscoveredDeviceService.MAX_PENDING);
        try {
            for (int i = 1; i <= 5; i++) {
                service.record(sighting("805ec0000001", "192.0.2." + i));
            }
            assertThat(memory.db().dsl().fetchCount(DISCOVERED_DEVICE)).as("nothing written before the batch").isZero();

            DiscoveredDevice found = service.find("805ec0000001").orElseThrow();

            assertThat(found.requests()).isEqualTo(5);
            assertThat(found.address()).isEqualTo("192.0.2.5");
            service.record(sighting("805ec0000001", "192.0.2.9"));
            assertThat(service.find("805ec0000001").orElseThrow().requests()).isEqualTo(6);
        } finally {
            service.close();
        }
    }

    @Test
    void macsBeyondTheWaitingBoundAreDroppedUntilTheNextWriteButKnownOnesStillCount() {
        DiscoveredDeviceService service = service(3);
        try {
            for (int i = 1; i <= 5; i++) {
                service.record(sighting(String.format("805ec000000%d", i), "192.0.2.1"));
            }
            service.record(sighting("805ec0000001", "192.0.2.1"));

            var page = service.list(null, 50);

            assertThat(page.items()).extracting(DiscoveredDevice::mac)
                    .containsExactly("805ec0000001", "805ec0000002", "805ec0000003");
            assertThat(page.items().get(0).requests()).isEqualTo(2);
            service.record(sighting("805ec0000005", "192.0.2.1"));
            assertThat(service.find("805ec0000005")).as("room again after the write").isPresent();
        } finally {
            service.close();
        }
    }

    @Test
    void oneBatchAddsNewMacsUpdatesKnownRowsAndLeavesRegisteredDevicesOut() {
        String account = memory.accountWithLocation("Acme")[0];
        memory.directory().devices().create("test", account, "805ec0000003", "yealink-t46s", null);
        DiscoveredDeviceService service = service(DiscoveredDeviceService.MAX_PENDING);
        try {
            service.record(sighting("805ec0000001", "192.0.2.1"));
            service.flush();
            java.time.OffsetDateTime firstSeen = service.find("805ec0000001").orElseThrow().firstSeen();
            for (String mac : new String[] {"805ec0000001", "805ec0000001", "805ec0000002", "805ec0000003"}) {
                service.record(sighting(mac, "192.0.2.7"));
            }

            var page = service.list(null, 50);

            assertThat(page.items()).extracting(DiscoveredDevice::mac).containsExactly("805ec0000001", "805ec0000002");
            DiscoveredDevice updated = page.items().get(0);
            assertThat(updated.requests()).isEqualTo(3);
            assertThat(updated.address()).isEqualTo("192.0.2.7");
            assertThat(updated.firstSeen()).isEqualTo(firstSeen);
            assertThat(updated.lastSeen()).isAfterOrEqualTo(firstSeen);
            DiscoveredDevice added = page.items().get(1);
            assertThat(added.requests()).isEqualTo(1);
            assertThat(added.model()).isEqualTo("yealink-t46s");
            assertThat(added.userAgent()).isEqualTo("Yealink SIP-T46S 66.86.0.15");
            assertThat(added.firstSeen()).isNotNull();
        } finally {
            service.close();
        }
    }

    @Test
    void whatIsPendingIsWrittenOnClose() {
        DiscoveredDeviceService service = service(DiscoveredDeviceService.MAX_PENDING);
        service.record(sighting("805ec0000007", "192.0.2.1"));

        service.close();

        assertThat(memory.db().dsl().fetchCount(DISCOVERED_DEVICE)).isEqualTo(1);
    }
}
