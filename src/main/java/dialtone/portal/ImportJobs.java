package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.UserBulk;
import dialtone.security.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports running in the background while their page shows how far they are. A job is seen only by the
 * administrator who started it, in the account it runs in; its report (which carries one-time passwords) is
 * handed out once, and a report nobody came back for is forgotten after {@link #KEEP}.
 */
final class ImportJobs {

    static final Duration KEEP = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Executor executor;
    private final Clock clock;

    ImportJobs(Executor executor, Clock clock) {
        this.executor = executor;
        this.clock = clock;
    }

    /** One import: where it is while it runs, then its report or the problem that stopped it. */
    public static final class Job implements UserBulk.Progress {
        final String id = Secrets.random(22);
        final String adminId;
        final String accountId;
        final int rows;
        final Instant started;
        private volatile String phase = UserBulk.Progress.CHECKING;
        private volatile int done;
        private volatile int total;
        private volatile UserBulk.Report report;
        private volatile Problem problem;
        private volatile boolean finished;

        Job(String adminId, String accountId, int rows, Instant started) {
            this.adminId = adminId;
            this.accountId = accountId;
            this.rows = rows;
            this.started = started;
            this.total = rows;
        }

        @Override
        public void at(String phase, int done, int total) {
            this.phase = phase;
            this.done = done;
            this.total = total;
        }

        public String phase() {
            return phase;
        }

        public int done() {
            return done;
        }

        public int total() {
            return total;
        }

        public int rows() {
            return rows;
        }

        public boolean finished() {
            return finished;
        }

        public UserBulk.Report report() {
            return report;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** Starts {@code work} in the background; the job's id names its page. */
    Job start(String adminId, String accountId, int rows, Function<UserBulk.Progress, UserBulk.Report> work) {
        forgetOld();
        Job job = new Job(adminId, accountId, rows, clock.instant());
        jobs.put(job.id, job);
        try {
            executor.execute(() -> run(job, work));
        } catch (RejectedExecutionException e) {
            jobs.remove(job.id);
            throw Problem.busy("Too many imports are running; try again in a minute.");
        }
        return job;
    }

    private static void run(Job job, Function<UserBulk.Progress, UserBulk.Report> work) {
        try {
            job.report = work.apply(job);
        } catch (Problem problem) {
            job.problem = problem;
        } catch (RuntimeException e) {
            LOG.error("import into account {} failed", job.accountId, e);
            job.problem = new Problem(Problem.Kind.UNAVAILABLE, "The import stopped: something went wrong; try again.");
        } finally {
            job.finished = true;
        }
    }

    /**
     * The job as its administrator may see it; a finished job is handed out this once and then forgotten.
     * Another administrator's job, or one of another account, is as absent as one that never was.
     */
    Optional<Job> take(String adminId, String accountId, String id) {
        Job job = id == null ? null : jobs.get(id);
        if (job == null || !job.adminId.equals(adminId) || !job.accountId.equals(accountId)) {
            return Optional.empty();
        }
        if (job.finished) {
            jobs.remove(id);
        }
        return Optional.of(job);
    }

    private void forgetOld() {
        Instant cutoff = clock.instant().minus(KEEP);
        jobs.values().removeIf(job -> job.finished && job.started.isBefore(cutoff));
    }
}
