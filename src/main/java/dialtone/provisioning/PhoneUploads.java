package dialtone.provisioning;

import dialtone.security.PrivateFiles;
import java.util.Locale;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import dialtone.directory.Page;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files phones upload (Polycom logs and call lists, Yealink local settings), kept per device under
 * {@code <data-dir>/uploads/<mac>/}, each upload a new file. A file over the per-file cap is refused; when
 * a device's files together pass the per-device byte cap or file count, its oldest files are dropped first
 * (so even empty uploads cannot pile up). What a device folder holds is kept in memory once read, for a
 * bounded number of devices, so an upload never lists the folder again.
 */
public final class PhoneUploads {

    /** One stored upload: {@code name} identifies it in the admin API, {@code file} is what the phone called it. */
    public record Upload(String name, String file, long size, Instant uploadedAt) {}

    /** The outcome of storing: accepted, or refused because the one file is over the cap. */
    public enum Result { STORED, TOO_LARGE }

    /** Device folders whose contents are remembered; others are read again when next needed. */
    private static final int REMEMBERED_FOLDERS = 1024;
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{12}");
    private static final Pattern NAME = Pattern.compile("([0-9]{13})-([0-9]{6})-([A-Za-z0-9_.-]{1,128})");
    private final Path root;
    private final int maxFileBytes;
    private final long maxDeviceBytes;
    private final int maxDeviceFiles;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<String, Folder> folders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Folder> eldest) {
            return size() > REMEMBERED_FOLDERS;
        }
    };

    /** A device folder's uploads by name (names sort by upload time) with their sizes, and their total. */
    private static final class Folder {
        final TreeMap<String, Long> sizes = new TreeMap<>();
        long total;

        void add(String name, long size) {
            sizes.put(name, size);
            total += size;
        }

        Map.Entry<String, Long> removeOldest() {
            Map.Entry<String, Long> oldest = sizes.pollFirstEntry();
            total -= oldest.getValue();
            return oldest;
        }
    }

    public PhoneUploads(Path root, int maxFileBytes, long maxDeviceBytes, int maxDeviceFiles) {
        this.root = root;
        this.maxFileBytes = maxFileBytes;
        this.maxDeviceBytes = maxDeviceBytes;
        this.maxDeviceFiles = maxDeviceFiles;
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
            Folder folder = folder(mac);
            PrivateFiles.directory(root);
            PrivateFiles.directory(dir);
            PrivateFiles.create(dir.resolve(name), body);
            folder.add(name, body.length);
            while (folder.total > maxDeviceBytes || folder.sizes.size() > maxDeviceFiles) {
                Files.deleteIfExists(dir.resolve(folder.removeOldest().getKey()));
            }
        } catch (IOException e) {
            folders.remove(mac);
            throw new UncheckedIOException(e);
        }
        return Result.STORED;
    }

    /**
     * One page of the device's uploads, newest first, those older than {@code after} (a name from the previous
     * page) when given. Only those made since {@code since} (the device's creation): a MAC deleted and created
     * again, perhaps in another account, never shows what the previous one sent.
     */
    public synchronized Page<Upload> list(String mac, Instant since, String after, int limit) {
        Folder folder = folder(mac);
        NavigableMap<String, Long> newestFirst = (after == null ? folder.sizes : folder.sizes.headMap(after, false))
                .descendingMap();
        List<Upload> fetched = new ArrayList<>();
        for (Map.Entry<String, Long> entry : newestFirst.entrySet()) {
            Upload upload = toUpload(entry.getKey(), entry.getValue());
            if (upload.uploadedAt().isBefore(since) || fetched.size() > limit) {
                break;
            }
            fetched.add(upload);
        }
        return Page.of(fetched, limit, Upload::name);
    }

    /** The device's folder as remembered, read from disk (once) when it is not. */
    private Folder folder(String mac) {
        Folder folder = folders.get(mac);
        if (folder != null) {
            return folder;
        }
        folder = new Folder();
        Path dir = deviceDir(mac);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (NAME.matcher(name).matches()) {
                        folder.add(name, Files.size(file));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        folders.put(mac, folder);
        return folder;
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
    public synchronized void deleteAll(String mac) {
        folders.remove(mac);
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

    private static Upload toUpload(String name, long size) {
        var m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalStateException("not an upload name: " + name);
        }
        return new Upload(name, m.group(3), size, Instant.ofEpochMilli(Long.parseLong(m.group(1))));
    }
}
