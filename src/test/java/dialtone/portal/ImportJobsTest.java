package dialtone.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.core.Problem;
import dialtone.directory.UserBulk;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Imports in the background: progress while they run, the report once, to the administrator who started it only. */
class ImportJobsTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final ImportJobs jobs = new ImportJobs(executor, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final UserBulk.Report report = new UserBulk.Report(3, 0, 0, 0, Map.of(), List.of());

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void runningImportShowsItsPhaseAndRowsDoneThenItsReportOnceToWhoStartedIt() throws Exception {
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ImportJobs.Job job = jobs.start("admin-1", "acct-1", 10, progress -> {
            progress.at(UserBulk.Progress.STORING, 3, 10);
            storing.countDown();
            await(release);
            return report;
        });
        assertThat(storing.await(30, TimeUnit.SECONDS)).isTrue();

        ImportJobs.Job running = jobs.take("admin-1", "acct-1", job.id).orElseThrow();
        assertThat(running.finished()).isFalse();
        assertThat(running.phase()).isEqualTo("storing");
        assertThat(running.done()).isEqualTo(3);
        assertThat(running.total()).isEqualTo(10);
        assertThat(jobs.take("admin-2", "acct-1", job.id)).isEmpty();
        assertThat(jobs.take("admin-1", "acct-2", job.id)).isEmpty();
        assertThat(jobs.take("admin-1", "acct-1", "no-such-job")).isEmpty();

        release.countDown();
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        ImportJobs.Job finished = jobs.take("admin-1", "acct-1", job.id).orElseThrow();
        assertThat(finished.finished()).isTrue();
        assertThat(finished.report()).isSameAs(report);
        assertThat(jobs.take("admin-1", "acct-1", job.id)).isEmpty();
    }

    @Test
    void importRefusedByTheDirectoryKeepsItsProblemForThePage() throws Exception {
        ImportJobs.Job job = jobs.start("admin-1", "acct-1", 1, progress -> {
            throw Problem.conflict("import", "an import into this account is still running");
        });
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        ImportJobs.Job finished = jobs.take("admin-1", "acct-1", job.id).orElseThrow();
        assertThat(finished.report()).isNull();
        assertThat(finished.problem().errors()).extracting("field").containsExactly("import");
    }

    @Test
    void importBeyondWhatTheWorkersTakeIsRefusedAsBusy() {
        executor.shutdown();

        assertThatThrownBy(() -> jobs.start("admin-1", "acct-1", 1, progress -> report))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.BUSY));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
