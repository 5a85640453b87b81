package dialtone.ops;

import dialtone.config.DialtoneConfig;
import dialtone.server.ClientAddresses;
import dialtone.server.HttpServer;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.server.ServerLimits;
import dialtone.server.WorkerPool;
import dialtone.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the people on call see: Prometheus metrics (requests per listener and status with latency histograms,
 * worker queues, the database pool, the outbox, the certificate's expiry, JVM and process) and health, served
 * on the management listener (plain HTTP, {@code management.host}:{@code management.port}), never on the
 * phone or admin listeners. No metric carries a MAC, a user name or any other unbounded label.
 */
public final class Operations implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Health health = new Health();
    private final Database db;
    private final Path certificate;
    private final AtomicReference<Map<String, double[]>> outbox = new AtomicReference<>(Map.of());
    private final List<HttpServer> listeners = new ArrayList<>();
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> handshakes = new ConcurrentHashMap<>();
    private volatile double discoveredDevices;
    private WorkerPool pool;
    private HttpServer server;

    /** Metrics and health for this instance; {@link #start} opens the management listener. */
    public Operations(Database db, Path certificate) {
        this.db = db;
        this.certificate = certificate;
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        db.bindMetrics(registry);
        for (String status : List.of("pending", "sent", "failed")) {
            Gauge.builder("dialtone_outbox_emails", outbox, o -> o.get().getOrDefault(status, new double[] {0, 0})[0])
                    .description("Welcome e-mails in the outbox by status").tag("status", status).register(registry);
        }
        Gauge.builder("dialtone_outbox_oldest_pending_age_seconds", outbox,
                        o -> o.get().getOrDefault("pending", new double[] {0, 0})[1])
                .description("Age of the oldest e-mail still waiting to be sent (0 when none)").register(registry);
        Gauge.builder("dialtone_tls_certificate_expiry_timestamp_seconds", this, Operations::certificateExpiry)
                .description("When the listeners' certificate expires (Unix time)").register(registry);
        Gauge.builder("dialtone_discovered_devices", this, o -> o.discoveredDevices)
                .description("Unknown devices seen asking for their files (the discovered-devices table)")
                .register(registry);
        Gauge.builder("dialtone_ready", health, h -> h.ready().values().stream().allMatch("ok"::equals) ? 1 : 0)
                .description("1 while /health/ready answers 200, 0 while it answers 503").register(registry);
        health.check("database", () -> db.unhealthy(1));
        health.check("migrations", db::schemaMismatch);
    }

    /** Where the other parts register their own metrics (the phone side's); published on /metrics. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * {@code handler} measured: requests by status, with a latency histogram, as
     * {@code dialtone_requests_seconds{listener=...,status=...}}, and the listener's TLS handshakes by protocol
     * and outcome, as {@code dialtone_tls_handshakes_total{listener=...,protocol=...,result=...}}.
     */
    public RequestHandler metered(String listener, RequestHandler handler) {
        return new RequestHandler() {
            @Override
            public Response handle(Request request) throws Exception {
                long start = System.nanoTime();
                int status = 500;
                try {
                    Response response = handler.handle(request);
                    if (response.later() != null) {
                        // Measured when the deferred answer is ready, with its own status.
                        status = 0;
                        return Response.later(response.later().whenComplete((done, failure) -> timer(listener,
                                done != null ? done.status() : statusOf(failure))
                                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS)));
                    }
                    status = response.status();
                    return response;
                } catch (dialtone.core.Problem problem) {
                    status = dialtone.server.Responses.status(problem.kind());
                    throw problem;
                } finally {
                    if (status != 0) {
                        timer(listener, status).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                    }
                }
            }

            @Override
            public long maxBodyBytes(String method, String rawPath) {
                return handler.maxBodyBytes(method, rawPath);
            }

            /** Answers given on the event loop are counted too; a request passed on is counted by handle. */
            @Override
            public Response answerAtOnce(Request request) {
                long start = System.nanoTime();
                Response response = handler.answerAtOnce(request);
                // The listener gives a delayed answer to the workers instead (handle counts it there).
                if (response != null && response.delayMillis() == 0) {
                    timer(listener, response.status()).record(System.nanoTime() - start,
                            java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                return response;
            }

            @Override
            public void tlsHandshake(String protocol, Handshake outcome) {
                handshakes.computeIfAbsent(listener + " " + protocol + " " + outcome, key -> Counter
                        .builder("dialtone_tls_handshakes")
                        .description("TLS handshakes by listener, protocol and result (ok, failed, timeout, closed)")
                        .tag("listener", listener).tag("protocol", protocol)
                        .tag("result", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry))
                        .increment();
                handler.tlsHandshake(protocol, outcome);
            }
        };
    }

    private static int statusOf(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof dialtone.core.Problem problem ? dialtone.server.Responses.status(problem.kind()) : 500;
    }

    private Timer timer(String listener, int status) {
        return requestTimers.computeIfAbsent(listener + " " + status, key -> Timer.builder("dialtone_requests")
                .description("Requests answered, by listener and status").tag("listener", listener)
                .tag("status", Integer.toString(status)).publishPercentileHistogram().register(registry));
    }

    /** Publishes a worker pool's queue depth and its refusals (answered 503). */
    public void watch(String name, WorkerPool workers) {
        Gauge.builder("dialtone_worker_queue_depth", workers, WorkerPool::queued)
                .description("Requests waiting for a worker").tag("pool", name).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("dialtone_worker_rejected", workers, WorkerPool::rejected)
                .description("Requests refused with 503 because the worker queue was full").tag("pool", name)
                .register(registry);
    }

    /** Counts {@code listener} among those that must be bound for the instance to be ready. */
    public void listening(HttpServer listener) {
        listeners.add(listener);
    }

    /** Opens the management listener. */
    public void start(DialtoneConfig.Listener management, int requestTimeoutMillis) throws InterruptedException {
        List<HttpServer> watched = List.copyOf(listeners);
        health.check("listeners", () -> watched.stream().allMatch(HttpServer::isOpen) ? null
                : "a listener is not accepting connections");
        pool = new WorkerPool("dialtone-management", 2, 64);
        server = HttpServer.start("management", management.host(), management.port(), null,
                new ServerLimits(requestTimeoutMillis, requestTimeoutMillis, 8192),
                new ManagementApi(registry, this::refreshFromDatabase, health), pool, new ClientAddresses(List.of()));
    }

    /** Ready turns 503 from now on (the process is stopping). */
    public void drain() {
        health.drain();
    }

    public Health health() {
        return health;
    }

    public int port() {
        return server == null ? -1 : server.port();
    }

    /** Before a scrape: what the gauges read from the database (the outbox, the discovered devices). */
    private void refreshFromDatabase() {
        Map<String, double[]> byStatus = new java.util.HashMap<>();
        try {
            discoveredDevices = db.dsl().fetchCount(db.dsl().selectOne().from("discovered_device"));
            long now = System.currentTimeMillis();
            for (var row : db.dsl().fetch("select status, count(*), min(created_at) from email_outbox group by status")) {
                java.time.OffsetDateTime oldest = row.get(2, java.time.OffsetDateTime.class);
                byStatus.put(row.get(0, String.class).toLowerCase(java.util.Locale.ROOT), new double[] {
                        row.get(1, Long.class), oldest == null ? 0 : (now - oldest.toInstant().toEpochMilli()) / 1000.0});
            }
            outbox.set(byStatus);
        } catch (RuntimeException e) {
            discoveredDevices = Double.NaN;
            outbox.set(Map.of("pending", new double[] {Double.NaN, Double.NaN}, "sent", new double[] {Double.NaN, 0},
                    "failed", new double[] {Double.NaN, 0}));
        }
    }

    private double certificateExpiry() {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return cert.getNotAfter().getTime() / 1000.0;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (pool != null) {
            pool.close();
        }
        registry.close();
    }
}
