package dialtone;

import dialtone.admin.AdminApi;
import dialtone.admin.TokenService;
import dialtone.config.DialtoneConfig;
import dialtone.directory.Directory;
import dialtone.mail.OutboxSender;
import dialtone.pbx.PbxApi;
import dialtone.portal.Portal;
import dialtone.provisioning.PhoneSide;
import dialtone.provisioning.PhoneTemplateFixtures;
import dialtone.security.PrivateFiles;
import dialtone.security.NotifyTargets;
import dialtone.security.SecretBox;
import dialtone.security.ServerCertificate;
import dialtone.server.ClientAddresses;
import dialtone.core.DaemonThreads;
import dialtone.server.HttpServer;
import dialtone.server.Router;
import dialtone.server.ServerLimits;
import dialtone.server.TlsContext;
import dialtone.server.WorkerPool;
import dialtone.store.BackupSeal;
import dialtone.store.Backups;
import dialtone.ops.Operations;
import dialtone.store.Database;
import dialtone.templates.LiveTemplates;
import dialtone.templates.PhoneModel;
import dialtone.templates.ShippedTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires every part of Dialtone by hand, in one readable place, and starts the listeners. */
public final class Dialtone implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dialtone.class);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpServer phone;
    private final HttpServer admin;
    private final HttpServer portal;
    private volatile String portalUrl;
    private HttpServer phoneHttp;
    private HttpServer pbx;
    private Operations ops;
    private AdminApi adminApi;
    private String startup;
    private final List<HttpServer> listeners = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    private final long drainMillis;
    private Directory directory;
    private OutboxSender outbox;

    private Dialtone(DialtoneConfig config) throws Exception {
        drainMillis = config.server().drainTimeoutMillis();
        StartupPhases phases = new StartupPhases();
        config.placeholdersInUse().forEach(LOG::warn);
        try {
            // The data directory holds the secret key, the operator token, the database and uploads: owner only.
            PrivateFiles.directory(config.dataDir());
            DialtoneConfig.Provisioning provisioning = config.provisioning();
            // Loading and checking every template is the longest phase: it runs alongside the others.
            CompletableFuture<LiveTemplates> loading = phases.alongside("templates (load and check)", () ->
                    LiveTemplates.load(ShippedTemplates.resolve(config.templatesDir(), config.dataDir()),
                            provisioning.templatesOverrideDir(),
                            new PhoneTemplateFixtures(config.sip(), config.time())));
            ServerCertificate.ensure(config.tls().cert(), config.tls().key(), config.tls().extraNames());
            phases.done("server certificate");
            // The phone listener asks for (never requires) a device certificate; the admin listener does not.
            CompletableFuture<TlsContext[]> contexts = phases.alongside("TLS contexts", () -> new TlsContext[] {
                    new TlsContext(config.tls().cert(), config.tls().key(), true, config.phone().legacyTls(),
                            config.tls().provider(), config.tls().sessionCacheSize()),
                    new TlsContext(config.tls().cert(), config.tls().key(), false, config.admin().legacyTls(),
                            config.tls().provider(), config.tls().sessionCacheSize())});
            // Released on stop, and also when start fails before they are in use (OpenSSL contexts hold native memory).
            resources.add(() -> {
                for (TlsContext context : contexts.handle((built, failed) -> built == null ? new TlsContext[0] : built).join()) {
                    context.close();
                }
            });
            SecretBox secrets = SecretBox.loadOrCreate(config.dataDir().resolve("secret.key"));
            phases.done("secret key");
            Database db = Database.open(config.database());
            resources.add(db);
            ops = new Operations(db, config.tls().cert());
            resources.add(ops);
            phases.done("database (pool and migrations)");

            TokenService tokens = new TokenService(db);
            tokens.ensureOperatorToken(config.dataDir().resolve("operator.token"));
            phases.done("operator token");
            LiveTemplates templates = phases.join(loading);
            directory = new Directory(db, secrets,
                    modelId -> templates.families().model(modelId).map(PhoneModel::family), provisioning.discoveredMax(),
                    config.smtp().welcomeResendIntervalMillis(), config.smtp().welcomesPerDay(),
                    notifyTargets(config));
            resources.add(directory);
            // The portal's address is known once its listener is bound (port 0 in tests), before any mail goes out.
            outbox = new OutboxSender(db, secrets, config.smtp(), () -> templates.current().engine(),
                    () -> portalUrl);
            resources.add(outbox);
            directory.changes().subscribe(outbox::changed);
            PhoneSide phones = PhoneSide.wire(config, db, secrets, templates, directory, ops.registry());
            resources.add(phones);
            adminApi = AdminApi.wire(db, directory, phones, tokens, templates::families,
                    new Backups(db, config.database().url(), config.dataDir(), () -> secrets.mac(BackupSeal.PURPOSE)),
                    config.server().maxBodyBytes(), config.server().maxUploadBytes(), config.provisioning().publicUrl());
            phases.done("directory, mail, phone side and admin API");

            TlsContext[] tlsContexts = phases.join(contexts);
            TlsContext phoneTls = tlsContexts[0];
            TlsContext tls = tlsContexts[1];
            LOG.info("TLS through {}", phoneTls.providerName());
            DialtoneConfig.Server server = config.server();
            ServerLimits limits = new ServerLimits(server.handshakeTimeoutMillis(), server.requestTimeoutMillis(),
                    server.maxBodyBytes(), server.bodyMemoryBytes(), server.maxConnectionsPerAddress());
            ClientAddresses clientAddresses = new ClientAddresses(server.trustedProxies());
            WorkerPool pool = new WorkerPool("dialtone", server.workers(), server.queueSize());
            // The admin API has workers of its own: a flood of phone requests cannot lock operators out.
            WorkerPool adminPool = new WorkerPool("dialtone-admin", Math.max(2, server.workers() / 2), server.queueSize());
            ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(
                    DaemonThreads.named("dialtone-reload"));
            long reloadMillis = config.security().tlsReloadMillis();
            reloader.scheduleWithFixedDelay(() -> {
                phoneTls.reloadIfChanged();
                tls.reloadIfChanged();
            }, reloadMillis, reloadMillis, TimeUnit.MILLISECONDS);
            reloader.scheduleWithFixedDelay(templates::reloadIfChanged, provisioning.templatesReloadMillis(),
                    provisioning.templatesReloadMillis(), TimeUnit.MILLISECONDS);
            resources.add(reloader::shutdownNow);
            phases.done("pools and reloaders");

            // Uploads (greetings, CSV imports) need more than server.max-body-bytes; AdminApi names each route's limit.
            ServerLimits adminLimits = new ServerLimits(server.handshakeTimeoutMillis(), server.requestTimeoutMillis(),
                    Math.max(server.maxBodyBytes(), server.maxUploadBytes()), server.bodyMemoryBytes(),
                    server.maxConnectionsPerAddress());
            resources.add(pool);
            resources.add(adminPool);
            phone = HttpServer.start("phone", config.phone().host(), config.phone().port(), phoneTls, limits,
                    ops.metered("phone", phones.handler()), pool, clientAddresses);
            resources.add(phone);
            phones.listeningOn(phone.port());
            if (config.security().httpPort() >= 0) {
                // Off by default; serves only files without secrets (PhoneHandler refuses the others).
                phoneHttp = HttpServer.start("phone-http", config.phone().host(), config.security().httpPort(), null,
                        limits, ops.metered("phone-http", phones.handler()), pool, clientAddresses);
                resources.add(phoneHttp);
            }
            admin = HttpServer.start("admin", config.admin().host(), config.admin().port(), tls, adminLimits,
                    ops.metered("admin", adminApi), adminPool, new ClientAddresses(List.of()));
            resources.add(admin);
            DialtoneConfig.Pbx pbxConfig = config.pbx();
            if (pbxConfig.port() >= 0) {
                // SIP servers ask on every REGISTER: their own workers, so a boot storm cannot starve the phones.
                WorkerPool pbxPool = new WorkerPool("dialtone-pbx", pbxConfig.workers(), pbxConfig.queueSize());
                resources.add(pbxPool);
                pbx = HttpServer.start("pbx", pbxConfig.host(), pbxConfig.port(), tls, limits,
                        ops.metered("pbx", PbxApi.wire(config, db, secrets)), pbxPool, new ClientAddresses(List.of()));
                resources.add(pbx);
                ops.watch("pbx", pbxPool);
                ops.listening(pbx);
            }
            Portal portalPages = Portal.wire(config.portal(), db, directory, new PortalPhones(phones), templates::families);
            WorkerPool portalPool = new WorkerPool("dialtone-portal", Math.max(2, server.workers() / 2), server.queueSize());
            resources.add(portalPool);
            portal = HttpServer.start("portal", config.portal().host(), config.portal().port(), tls, adminLimits,
                    ops.metered("portal", portalPages), portalPool, clientAddresses);
            resources.add(portal);
            portalUrl = config.portalUrl().isEmpty() ? ownUrl(config.portal().host(), portal.port()) : config.portalUrl();
            ops.watch("phone", pool);
            ops.watch("admin", adminPool);
            ops.listening(phone);
            ops.listening(admin);
            ops.watch("portal", portalPool);
            ops.listening(portal);
            listeners.addAll(java.util.stream.Stream.of(phone, phoneHttp, admin, pbx, portal)
                    .filter(java.util.Objects::nonNull).toList());
            ops.start(config.management(), server.requestTimeoutMillis());
            outbox.start();
            phases.done("listeners");
            startup = phases.summary();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private static NotifyTargets notifyTargets(DialtoneConfig config) {
        try {
            return new NotifyTargets(config.resync().allowedNetworks());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resync.allowed-networks: " + e.getMessage(), e);
        }
    }

    /** Starts Dialtone; throws (having released everything) if any part cannot start. */
    public static Dialtone start(DialtoneConfig config) throws Exception {
        Dialtone dialtone = new Dialtone(config);
        LOG.info("Dialtone started: phones on port {}, admin API on port {}, management on port {}, portal at {}, in {}",
                dialtone.phonePort(), dialtone.adminPort(), dialtone.managementPort(), dialtone.portalUrl(),
                dialtone.startup);
        return dialtone;
    }

    public int phonePort() {
        return phone.port();
    }

    /** The plain-HTTP phone listener's port, or -1 when it is off. */
    public int phoneHttpPort() {
        return phoneHttp == null ? -1 : phoneHttp.port();
    }

    /** The SIP servers' directory listener's port, or -1 when it is off. */
    public int pbxPort() {
        return pbx == null ? -1 : pbx.port();
    }

    public int portalPort() {
        return portal.port();
    }

    /** The link users get in their e-mails: {@code portal.url}, or the portal listener's own address. */
    public String portalUrl() {
        return portalUrl;
    }

    private static String ownUrl(String host, int port) {
        String name = host;
        if (host.equals("0.0.0.0") || host.equals("::")) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                name = "localhost";
            }
        }
        return "https://" + (name.contains(":") ? "[" + name + "]" : name) + (port == 443 ? "" : ":" + port) + "/";
    }

    /** From now on /health/ready answers 503: load balancers stop sending new work (the first step of stopping). */
    public void drain() {
        ops.drain();
    }

    /** The management listener's port (metrics and health). */
    public int managementPort() {
        return ops.port();
    }

    public int adminPort() {
        return admin.port();
    }

    /** The admin API's routes, as {@code METHOD /pattern} below {@code /api/v1}. */
    public List<Router.Description> adminRoutes() {
        return adminApi.routes();
    }

    /**
     * Stops in order, every step bounded: ready turns 503; the listeners stop accepting; imports finish the row
     * in hand; requests in flight get their answers (for at most {@code server.drain-timeout-ms}); the batched
     * last-seen records are written; the outbox stops between e-mails; then the rest in the reverse of starting
     * (event loops, pools, the database last). A second call returns at once.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + drainMillis * 1_000_000L;
        if (ops != null) {
            ops.drain();
        }
        listeners.forEach(HttpServer::stopAccepting);
        if (directory != null) {
            directory.stopBulkWork();
        }
        for (HttpServer listener : listeners) {
            if (!listener.awaitIdle(deadline)) {
                LOG.warn("stopping: {} request(s) still in flight after server.drain-timeout-ms ({} ms); they are cut off",
                        listener.inFlight(), drainMillis);
            }
        }
        if (directory != null) {
            directory.lastSeen().close();
        }
        if (outbox != null) {
            outbox.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
        }
        resources.clear();
        LOG.info("Dialtone stopped");
    }

}
