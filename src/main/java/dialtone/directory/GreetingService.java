package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.GREETING;

import dialtone.security.Secrets;
import dialtone.core.FieldError;
import dialtone.core.Problem;
import dialtone.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/** The greeting step: a validated WAV upload per user, or the default greeting shipped with Dialtone. */
public final class GreetingService {

    public static final int MAX_BYTES = 5 * 1024 * 1024;
    static final String DEFAULT_RESOURCE = "/greetings/default.wav";
    private final Database db;
    private final Changes changes;
    private final Greeting defaultGreeting;

    public GreetingService(Database db, Changes changes) {
        this.db = db;
        this.changes = changes;
        byte[] audio = loadDefault();
        this.defaultGreeting = new Greeting(false, WavInfo.inspect(audio), sha256(audio), audio);
    }

    /** Validates and stores the upload; on any refusal nothing is stored. */
    public Greeting set(String actor, String accountId, String userId, byte[] audio) {
        requireUser(accountId, userId);
        if (audio.length > MAX_BYTES) {
            throw new Problem(Problem.Kind.TOO_LARGE,
                    "body: a greeting may be at most 5 MiB; this one is " + audio.length + " bytes",
                    java.util.List.of(new FieldError("body",
                            "must be at most " + MAX_BYTES + " bytes (5 MiB); got " + audio.length)));
        }
        WavInfo info = WavInfo.inspect(audio);
        String sha = sha256(audio);
        return db.inTransaction(tx -> {
            UserService.fetchRow(tx, accountId, userId);
            tx.deleteFrom(GREETING).where(GREETING.USER_ID.eq(userId)).execute();
            tx.insertInto(GREETING)
                    .set(GREETING.USER_ID, userId)
                    .set(GREETING.ENCODING, info.encoding())
                    .set(GREETING.SAMPLE_RATE, info.sampleRate())
                    .set(GREETING.DURATION_MS, (int) info.durationMillis())
                    .set(GREETING.BYTE_SIZE, audio.length)
                    .set(GREETING.SHA256, sha)
                    .set(GREETING.AUDIO, audio)
                    .set(GREETING.CREATED_AT, OffsetDateTime.now())
                    .execute();
            changes.user(tx, actor, "user.greeting.set", accountId, userId, info.encoding() + " " + info.sampleRate() + " Hz " + info.durationMillis() + " ms");
            return new Greeting(true, info, sha, audio);
        });
    }

    public Greeting get(String accountId, String userId) {
        requireUser(accountId, userId);
        return db.dsl().selectFrom(GREETING).where(GREETING.USER_ID.eq(userId)).fetchOptional()
                .map(r -> new Greeting(true, new WavInfo(r.getEncoding(), r.getSampleRate(), r.getDurationMs()),
                        r.getSha256(), r.getAudio()))
                .orElse(defaultGreeting);
    }

    /** Returns the user to the default greeting. */
    public void delete(String actor, String accountId, String userId) {
        db.inTransaction(tx -> {
            UserService.fetchRow(tx, accountId, userId);
            int deleted = tx.deleteFrom(GREETING).where(GREETING.USER_ID.eq(userId)).execute();
            if (deleted > 0) {
                changes.user(tx, actor, "user.greeting.delete", accountId, userId, null);
            }
            return null;
        });
    }

    private void requireUser(String accountId, String userId) {
        if (!db.dsl().fetchExists(APP_USER, APP_USER.ACCOUNT_ID.eq(accountId).and(APP_USER.ID.eq(userId)))) {
            throw Problem.notFound("user " + userId);
        }
    }

    private static String sha256(byte[] audio) {
        return HexFormat.of().formatHex(Secrets.sha256(audio));
    }

    private static byte[] loadDefault() {
        try (InputStream in = GreetingService.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default greeting " + DEFAULT_RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
