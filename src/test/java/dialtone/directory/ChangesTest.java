package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.core.Problem;
import dialtone.testing.MemoryDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed changes are announced once, after the commit; refused ones change nothing and announce nothing. */
class ChangesTest {

    MemoryDirectory memory;
    Directory directory;
    List<DirectoryEvent> events = new CopyOnWriteArrayList<>();
    String account;
    String location;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
        directory = memory.directory();
        String[] acme = memory.accountWithLocation("Acme");
        account = acme[0];
        location = acme[1];
        directory.changes().subscribe(events::add);
    }

    @AfterEach
    void stop() {
        memory.close();
    }

    @Test
    void aCommittedChangeIsAnnouncedAfterTheCommit() {
        List<Boolean> visibleWhenAnnounced = new CopyOnWriteArrayList<>();
        directory.changes().subscribe(event -> visibleWhenAnnounced.add(
                directory.users().list(account, "grace", null, 10).items().size() == 1));
        String user = memory.user(account, location, "Grace", "Hopper", "grace", "103");
        assertThat(events).containsExactly(new DirectoryEvent.UserChanged(account, user));
        assertThat(visibleWhenAnnounced).containsExactly(true);
    }

    @Test
    void aRefusedChangeAnnouncesNothing() {
        memory.user(account, location, "Grace", "Hopper", "grace", "103");
        events.clear();
        assertThatThrownBy(() -> memory.user(account, location, "Other", "Grace", "grace", "104"))
                .isInstanceOf(Problem.class);
        assertThat(events).isEmpty();
    }

    @Test
    void aFailingSubscriberDoesNotUndoTheChange() {
        directory.changes().subscribe(event -> {
            throw new IllegalStateException("subscriber down");
        });
        String user = memory.user(account, location, "Grace", "Hopper", "grace", "103");
        assertThat(directory.users().find(account, user)).isPresent();
    }

    @Test
    void locationChangesKeepTheRulesOfCreationAndAreAnnounced() {
        Location changed = directory.locations().update("test", account, location, Set.of("timeZone"), null, null,
                "Europe/Berlin");
        assertThat(changed.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(events).containsExactly(new DirectoryEvent.LocationChanged(account, location));
        assertThatThrownBy(() -> directory.locations().update("test", account, location, Set.of("timeZone"), null,
                null, "Mars/Olympus")).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.errors()).extracting("field").containsExactly("timeZone"));
        assertThat(directory.locations().find(account, location).orElseThrow().timeZone()).isEqualTo("Europe/Berlin");
    }

    @Test
    void aLocationInUseIsNotDeletedAndTheCountIsGiven() {
        memory.user(account, location, "Grace", "Hopper", "grace", "103");
        assertThatThrownBy(() -> directory.locations().delete("test", account, location))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
                    assertThat(p.getMessage()).contains("1 user is at this location");
                });
        assertThat(directory.locations().find(account, location)).isPresent();
    }

    @Test
    void anAccountWithUsersNeedsForceAndThenTakesItsDevicesAlong() {
        String user = memory.user(account, location, "Grace", "Hopper", "grace", "103");
        directory.devices().create("test", account, "00:15:65:00:00:01", "yealink-t46s", "Desk");
        directory.devices().bind("test", account, "001565000001", user, false);
        events.clear();
        assertThatThrownBy(() -> directory.accounts().delete("test", account, false))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.getMessage())
                        .contains("1 users and 1 devices"));
        assertThat(events).isEmpty();
        directory.accounts().delete("test", account, true);
        assertThat(directory.accounts().find(account)).isEmpty();
        assertThat(events).containsExactly(new DirectoryEvent.DeviceDeleted(account, "001565000001"),
                new DirectoryEvent.AccountChanged(account));
        assertThat(directory.devices().find(account, "001565000001")).isEmpty();
    }
}
