package dialtone.provisioning;

import dialtone.security.PrivateFiles;
import java.util.Locale;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files phones upload (Polycom logs and call lists, Yealink local settings), kept per device under
 * {@code <data-dir>/uploads/<mac>/}, each upload a new file. A file over the per-file cap is refused; when
 * a device's files together pass the per-device cap, its oldest files are dropped first.
 */
public final class PhoneUploads {

    /** One stored upload: {@code name} identifies it in the admin API, {@code file} is what the phone called it. */
    public record Upload(String name, String file, long size, Instant uploadedAt) {}

    /** The outcome of storing: accepted, or refused because the one file is over the cap. */
    public enum Result { STORED, TOO_LARGE }

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{12}");
    private static final Pattern NAME = Pattern.compile("([0-9]{13})-([0-9]{6})-([A-Za-z0-9_.-]{1,128})");
    private final Path root;
    private final int maxFileBytes;
    private final long maxDeviceBytes;
    private final AtomicInteger sequence = new AtomicInteger();

    public PhoneUploads(Path root, int maxFileBytes, long maxDeviceBytes) {
        this.root = root;
        this.maxFileBytes = maxFileBytes;
        this.maxDeviceBytes = maxDeviceBytes;
    }

    public int maxFileBytes() {
        return maxFileBytes;
    }

    synchronized Result store(String mac, String fileName, byte[] body) {
        if (body.length > maxFileBytes) {
            return Result.TOO_LARGE;
        }
        Path dir = deviceDir(mac);
        String name = String.format(Locale.ROOT, "%013d-%06d-%s", System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000,
                fileName);
        try {
            PrivateFiles.directory(root);
            PrivateFiles.directory(dir);
            PrivateFiles.create(dir.resolve(name), body);
            dropOldestBeyondCap(mac);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Result.STORED;
    }

    private void dropOldestBeyondCap(String mac) throws IOException {
        List<Upload> uploads = new ArrayList<>(list(mac, Instant.EPOCH));
        uploads.sort(Comparator.comparing(Upload::name));
        long total = uploads.stream().mapToLong(Upload::size).sum();
        for (Upload oldest : uploads) {
            if (total <= maxDeviceBytes) {
                break;
            }
            Files.deleteIfExists(deviceDir(mac).resolve(oldest.name()));
            total -= oldest.size();
        }
    }

    /**
     * The device's uploads, newest first. Only those made since {@code since} (the device's creation): a
     * MAC deleted and created again, perhaps in another account, never shows what the previous one sent.
     */
    public List<Upload> list(String mac, Instant since) {
        Path dir = deviceDir(mac);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(this::toUpload).flatMap(Optional::stream)
                    .filter(u -> !u.uploadedAt().isBefore(since))
                    .sorted(Comparator.comparing(Upload::name).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One upload's bytes; empty for a name that is not one of this device's uploads since {@code since}. */
    public Optional<byte[]> read(String mac, String name, Instant since) {
        // The name starts with its upload time in ms, so no directory listing is needed to judge it.
        java.util.regex.Matcher m = NAME.matcher(name);
        if (!m.matches() || Instant.ofEpochMilli(Long.parseLong(m.group(1))).isBefore(since)) {
            return Optional.empty();
        }
        Path file = deviceDir(mac).resolve(name);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes everything a device uploaded (when the device is deleted). */
    public void deleteAll(String mac) {
        Path dir = deviceDir(mac);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path deviceDir(String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a normalised MAC");
        }
        return root.resolve(mac);
    }

    private Optional<Upload> toUpload(Path file) {
        var m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Upload(m.group(0), m.group(3), Files.size(file),
                    Instant.ofEpochMilli(Long.parseLong(m.group(1)))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
