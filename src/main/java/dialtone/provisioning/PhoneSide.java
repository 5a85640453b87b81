package dialtone.provisioning;

import dialtone.config.DialtoneConfig;
import dialtone.directory.Device;
import dialtone.directory.Directory;
import dialtone.directory.DirectoryEvent;
import dialtone.directory.Page;
import dialtone.security.DeviceCertificateVerifier;
import dialtone.security.HttpDigest;
import dialtone.security.SecretBox;
import dialtone.server.RequestHandler;
import dialtone.store.Database;
import dialtone.templates.LiveTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The phone side, wired in one place: the handler the phone listeners serve, and the one facade other faces
 * use (sync status, resync, uploads). It listens to the directory's changes: a deleted device's uploads go,
 * and accounts with auto-resync notify the phones whose files changed.
 */
public final class PhoneSide implements AutoCloseable {

    private final PhoneHandler handler;
    private final DeviceSync sync;
    private final PhoneUploads uploads;
    private final ResyncService resync;
    private final AutoResync autoResync;
    private final PublicUrl publicUrl;
    private final MaskedConfig masked;

    private PhoneSide(PhoneHandler handler, DeviceSync sync, PhoneUploads uploads, ResyncService resync,
                      AutoResync autoResync, PublicUrl publicUrl, MaskedConfig masked) {
        this.publicUrl = publicUrl;
        this.masked = masked;
        this.handler = handler;
        this.sync = sync;
        this.uploads = uploads;
        this.resync = resync;
        this.autoResync = autoResync;
    }

    /** @param registry where the phone side's metrics go (the management listener publishes it) */
    public static PhoneSide wire(DialtoneConfig config, Database db, SecretBox secrets, LiveTemplates templates,
                                 Directory directory, MeterRegistry registry) throws IOException {
        DialtoneConfig.Provisioning provisioning = config.provisioning();
        PhoneMetrics metrics = new PhoneMetrics(registry);
        PhoneSecurity security = new PhoneSecurity(new FailureThrottle(config.security().throttle(), metrics::throttleBlocked),
                DeviceCertificateVerifier.load(config.tls().vendorRoots()), directory.policies());
        HttpDigest digest = new HttpDigest(PhoneHandler.REALM);
        PhoneDirectory phones = new PhoneDirectory(db);
        ChangeStamps stamps = new ChangeStamps();
        PhoneCache cache = new PhoneCache(phones::findActive, directory.policies()::get, secrets::open, stamps,
                provisioning.cacheMegabytes() * 1024L * 1024L, metrics);
        // Every committed change, this instance's or (on a shared PostgreSQL) another's, ages what it touched.
        directory.changes().subscribeWithOtherInstances(stamps::changed, stamps::trust);
        templates.onReload(cache::clear);
        PhoneDataModel dataModel = new PhoneDataModel(config.sip(), config.time(), secrets::open);
        DeviceFiles files = new DeviceFiles(dataModel);
        PhoneUploads uploads = new PhoneUploads(config.dataDir().resolve("uploads"), provisioning.uploadMaxFileBytes(),
                provisioning.uploadMaxDeviceBytes(), provisioning.uploadMaxDeviceFiles());
        PublicUrl publicUrl = new PublicUrl(provisioning.publicUrl(), config.tls().cert(), config.phone().port());
        PhoneHandler handler = new PhoneHandler(templates, phones, cache, directory.devices(), files, dataModel,
                directory.lastSeen(), digest, security, new DeviceProof(new DeviceAuthenticator(digest),
                security.certificates()), uploads, new UnknownDevices(directory.discovered()), publicUrl, metrics);
        DeviceSync sync = new DeviceSync(templates, phones, files);
        ResyncService resync = new ResyncService(db, directory.devices(), templates::families,
                new SipNotifier(config.resync().t1Millis()), directory.notifyTargets(),
                config.resync().perSecond(), config.resync().waitsPerAccount(), metrics);
        AutoResync autoResync = new AutoResync(directory.accounts(), resync, sync, config.resync().autoDelayMillis());
        PhoneSide side = new PhoneSide(handler, sync, uploads, resync, autoResync, publicUrl,
                new MaskedConfig(templates, phones, dataModel, publicUrl::get));
        directory.changes().subscribe(side::changed);
        return side;
    }

    private void changed(DirectoryEvent event) {
        if (event instanceof DirectoryEvent.DeviceDeleted deleted) {
            uploads.deleteAll(deleted.mac());
        }
        autoResync.changed(event.accountId());
    }

    /** The phone listener is bound to {@code port}: the URL written into files names it. */
    public void listeningOn(int port) {
        publicUrl.listeningOn(port);
    }

    /** What the phone listeners serve. */
    public RequestHandler handler() {
        return handler;
    }

    /** Whether the device's last fetched file is what it would get now; null before its first fetch. */
    public Boolean inSync(Device device) {
        return sync.inSync(device);
    }

    /**
     * The device's own files as it would get them now, file name → text with every secret (SIP and provisioning
     * passwords, secret custom variables) masked; empty when the device is not active.
     */
    public Map<String, String> maskedConfig(Device device) {
        return masked.files(device.mac());
    }

    /** Tells one phone to fetch its files now; completes with its answer. */
    public java.util.concurrent.CompletableFuture<ResyncService.Result> resync(String actor, String accountId, String mac) {
        return resync.resync(actor, accountId, mac);
    }

    /** Tells every active phone of the account to fetch its files, paced. */
    public ResyncService.Scheduled resyncAccount(String actor, String accountId) {
        return resync.resyncAccount(actor, accountId);
    }

    /**
     * One page of the files a device uploaded since {@code since} (the device's creation: never a previous
     * owner's), newest first, older than the upload named {@code after} when given.
     */
    public Page<PhoneUploads.Upload> uploads(String mac, Instant since, String after, int limit) {
        return uploads.list(mac, since, after, limit);
    }

    public Optional<byte[]> upload(String mac, String name, Instant since) {
        return uploads.read(mac, name, since);
    }

    @Override
    public void close() {
        autoResync.close();
        resync.close();
    }
}
