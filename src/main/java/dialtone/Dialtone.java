package dialtone;

import dialtone.admin.AdminApi;
import dialtone.admin.TokenService;
import dialtone.config.DialtoneConfig;
import dialtone.directory.Directory;
import dialtone.mail.OutboxSender;
import dialtone.provisioning.PhoneSide;
import dialtone.provisioning.PhoneTemplateFixtures;
import dialtone.security.SecretBox;
import dialtone.security.ServerCertificate;
import dialtone.server.ClientAddresses;
import dialtone.core.DaemonThreads;
import dialtone.server.HttpServer;
import dialtone.server.Router;
import dialtone.server.ServerLimits;
import dialtone.server.TlsContext;
import dialtone.server.WorkerPool;
import dialtone.store.Backups;
import dialtone.ops.Operations;
import dialtone.store.Database;
import dialtone.templates.LiveTemplates;
import dialtone.templates.PhoneModel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
    private HttpServer phoneHttp;
    private Operations ops;
    private AdminApi adminApi;

    private Dialtone(DialtoneConfig config) throws Exception {
        try {
            Files.createDirectories(config.dataDir());
            DialtoneConfig.Provisioning provisioning = config.provisioning();
            LiveTemplates templates = LiveTemplates.load(config.templatesDir(), provisioning.templatesOverrideDir(),
                    new PhoneTemplateFixtures(config.sip(), config.time()));
            ServerCertificate.ensure(config.tls().cert(), config.tls().key(), config.tls().extraNames());
            SecretBox secrets = SecretBox.loadOrCreate(config.dataDir().resolve("secret.key"));
            Database db = Database.open(config.database());
            resources.add(db);
            ops = new Operations(db, config.tls().cert());
            resources.add(ops);

            TokenService tokens = new TokenService(db);
            tokens.ensureOperatorToken(config.dataDir().resolve("operator.token"));
            Directory directory = new Directory(db, secrets,
                    modelId -> templates.families().model(modelId).map(PhoneModel::family), provisioning.discoveredMax());
            resources.add(directory);
            OutboxSender outbox = new OutboxSender(db, secrets, config.smtp(), () -> templates.current().engine(),
                    config.portalUrl());
            resources.add(outbox);
            directory.changes().subscribe(outbox::changed);
            PhoneSide phones = PhoneSide.wire(config, db, secrets, templates, directory);
            resources.add(phones);
            adminApi = AdminApi.wire(db, directory, phones, tokens, templates::families,
                    new Backups(db, config.database().url()), config.server().maxBodyBytes(),
                    config.provisioning().publicUrl());

            DialtoneConfig.Server server = config.server();
            ServerLimits limits = new ServerLimits(server.handshakeTimeoutMillis(), server.requestTimeoutMillis(),
                    server.maxBodyBytes());
            ClientAddresses clientAddresses = new ClientAddresses(server.trustedProxies());
            WorkerPool pool = new WorkerPool("dialtone", server.workers(), server.queueSize());
            // The admin API has workers of its own: a flood of phone requests cannot lock operators out.
            WorkerPool adminPool = new WorkerPool("dialtone-admin", Math.max(2, server.workers() / 2), server.queueSize());
            // The phone listener asks for (never requires) a device certificate; the admin listener does not.
            TlsContext phoneTls = new TlsContext(config.tls().cert(), config.tls().key(), true,
                    config.phone().legacyTls(), config.tls().provider());
            TlsContext tls = new TlsContext(config.tls().cert(), config.tls().key(), false, config.admin().legacyTls(),
                    config.tls().provider());
            resources.add(phoneTls);
            resources.add(tls);
            LOG.info("TLS through {}", phoneTls.providerName());
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

            // Uploads (greetings, CSV imports) need more than server.max-body-bytes; AdminApi holds every
            // other route to that limit itself.
            ServerLimits adminLimits = new ServerLimits(server.handshakeTimeoutMillis(), server.requestTimeoutMillis(),
                    Math.max(server.maxBodyBytes(), server.maxUploadBytes()));
            resources.add(pool);
            resources.add(adminPool);
            phone = HttpServer.start("phone", config.phone().host(), config.phone().port(), phoneTls, limits,
                    ops.metered("phone", phones.handler()), pool, clientAddresses);
            resources.add(phone);
            if (config.security().httpPort() >= 0) {
                // Off by default; serves only files without secrets (PhoneHandler refuses the others).
                phoneHttp = HttpServer.start("phone-http", config.phone().host(), config.security().httpPort(), null,
                        limits, ops.metered("phone-http", phones.handler()), pool, clientAddresses);
                resources.add(phoneHttp);
            }
            admin = HttpServer.start("admin", config.admin().host(), config.admin().port(), tls, adminLimits,
                    ops.metered("admin", adminApi), adminPool, new ClientAddresses(List.of()));
            resources.add(admin);
            ops.watch("phone", pool);
            ops.watch("admin", adminPool);
            ops.listening(phone);
            ops.listening(admin);
            ops.start(config.management(), server.requestTimeoutMillis());
            outbox.start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Starts Dialtone; throws (having released everything) if any part cannot start. */
    public static Dialtone start(DialtoneConfig config) throws Exception {
        Dialtone dialtone = new Dialtone(config);
        LOG.info("Dialtone started: phones on port {}, admin API on port {}, management on port {}",
                dialtone.phonePort(), dialtone.adminPort(), dialtone.managementPort());
        return dialtone;
    }

    public int phonePort() {
        return phone.port();
    }

    /** The plain-HTTP phone listener's port, or -1 when it is off. */
    public int phoneHttpPort() {
        return phoneHttp == null ? -1 : phoneHttp.port();
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

    /** Stops listeners first, then the pool, then the database: the reverse of starting. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
        }
        resources.clear();
    }

}
