package dialtone.directory;

import dialtone.security.NotifyTargets;
import dialtone.security.SecretBox;
import dialtone.store.Database;

/**
 * The domain, wired: every directory service over one database, sharing one {@link Changes} that announces
 * committed changes to the faces. Closing it writes out what is still buffered and stops its workers.
 */
public final class Directory implements AutoCloseable {

    /** How often phones' last-seen records are written in one batch. */
    private static final long LAST_SEEN_BATCH_MILLIS = 250;

    private final Changes changes;
    private final AccountService accounts;
    private final LocationService locations;
    private final UserService users;
    private final DeviceService devices;
    private final DeviceReplacement replacement;
    private final DeviceBulk deviceBulk;
    private final UserBulk userBulk;
    private final E911Service e911;
    private final GreetingService greetings;
    private final VarsService vars;
    private final AccountPolicyService policies;
    private final DiscoveredDeviceService discovered;
    private final LastSeenWriter lastSeen;
    private final AdministratorService administrators;
    private final PortalPasswords portalPasswords;
    private final NotifyTargets notifyTargets;
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param welcomeResendIntervalMillis and {@code welcomesPerDay} pace welcome e-mails per user
     * @param notifyTargets where devices' SIP contacts may point (resync NOTIFYs go there)
     */
    public Directory(Database db, SecretBox secrets, ModelCatalog models, int discoveredMax,
                     long welcomeResendIntervalMillis, int welcomesPerDay, NotifyTargets notifyTargets) {
        this.notifyTargets = notifyTargets;
        changes = new Changes(db);
        lastSeen = new LastSeenWriter(db, LAST_SEEN_BATCH_MILLIS);
        discovered = new DiscoveredDeviceService(db, discoveredMax);
        accounts = new AccountService(db, changes);
        locations = new LocationService(db, changes);
        users = new UserService(db, changes, secrets, new WelcomeEmails(secrets, welcomeResendIntervalMillis, welcomesPerDay));
        devices = new DeviceService(db, changes, secrets, models, lastSeen, notifyTargets);
        replacement = new DeviceReplacement(db, changes, devices, users, secrets);
        deviceBulk = new DeviceBulk(db, changes, devices, stopping::get);
        userBulk = new UserBulk(db, users, devices, stopping::get);
        e911 = new E911Service(db, changes);
        greetings = new GreetingService(db, changes);
        vars = new VarsService(db, changes);
        policies = new AccountPolicyService(db, changes);
        administrators = new AdministratorService(db);
        portalPasswords = new PortalPasswords(db, changes, secrets);
    }

    public AdministratorService administrators() {
        return administrators;
    }

    public PortalPasswords portalPasswords() {
        return portalPasswords;
    }

    public Changes changes() {
        return changes;
    }

    public AccountService accounts() {
        return accounts;
    }

    public LocationService locations() {
        return locations;
    }

    public UserService users() {
        return users;
    }

    public DeviceService devices() {
        return devices;
    }

    public DeviceReplacement replacement() {
        return replacement;
    }

    public DeviceBulk deviceBulk() {
        return deviceBulk;
    }

    public UserBulk userBulk() {
        return userBulk;
    }

    public E911Service e911() {
        return e911;
    }

    public GreetingService greetings() {
        return greetings;
    }

    public VarsService vars() {
        return vars;
    }

    public AccountPolicyService policies() {
        return policies;
    }

    public DiscoveredDeviceService discovered() {
        return discovered;
    }

    /** Where devices' SIP contacts, and so resync NOTIFYs, may point. */
    public NotifyTargets notifyTargets() {
        return notifyTargets;
    }

    public LastSeenWriter lastSeen() {
        return lastSeen;
    }

    /** The process is stopping: imports finish the row in hand and report the rest as not done. */
    public void stopBulkWork() {
        stopping.set(true);
    }

    @Override
    public void close() {
        stopBulkWork();
        userBulk.close();
        lastSeen.close();
        discovered.close();
    }
}
