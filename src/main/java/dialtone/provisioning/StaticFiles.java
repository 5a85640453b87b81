package dialtone.provisioning;

import dialtone.server.FileSlice;
import dialtone.server.Request;
import dialtone.server.Response;
import dialtone.templates.Family;
import dialtone.templates.FamilyRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Firmware and other static files under {@code templates/<family>/files/} (the override folder's first),
 * served with an ETag, {@code If-None-Match} and single byte ranges ({@code Range} -> 206), the bytes streamed
 * from disk by the listener when it writes the answer (never read whole into memory). A path can
 * never leave the folder: it is checked for safety, then its real path must lie inside the real folder. A file
 * found is remembered for a second, so a boot storm's requests for the same firmware are served by the event
 * loop with one {@code stat} each, instead of a folder walk on a worker. A file rewritten in place is served
 * as it now is; a removed one is looked for afresh at once; a file that newly shadows it (an override added) is
 * served after at most that second.
 */
final class StaticFiles {

    private static final String OCTETS = "application/octet-stream";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** How long a path's file, once found, is taken as found without walking the folders again. */
    static final long REMEMBER_NANOS = 1_000_000_000L;
    /** Paths remembered at most; past it the memory starts over (a storm asks for a handful of files). */
    static final int MAX_REMEMBERED = 1024;

    /** A static file, and the family whose folder holds it. */
    record Found(Family family, Path path) {}

    /** A path's file as found in one set of families, and when. */
    private record Remembered(FamilyRegistry families, Found found, long atNanos) {}

    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    /**
     * The file of a path found within the last {@link #REMEMBER_NANOS} in these very families (a template
     * reload is a new set), without touching the disk: what the event loop may serve. Null when not remembered.
     */
    Found remembered(FamilyRegistry families, String rawPath) {
        Remembered last = remembered.get(rawPath);
        return last != null && last.families() == families && System.nanoTime() - last.atNanos() < REMEMBER_NANOS
                ? last.found() : null;
    }

    /** Walks the folders for the path's file (resolving every link) and remembers what it finds. */
    Optional<Found> find(FamilyRegistry families, String rawPath) {
        Optional<Found> found = look(families, rawPath);
        if (found.isPresent()) {
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(rawPath, new Remembered(families, found.get(), System.nanoTime()));
        }
        return found;
    }

    private Optional<Found> look(FamilyRegistry families, String rawPath) {
        if (!FamilyRegistry.isSafePath(rawPath)) {
            return Optional.empty();
        }
        for (Family family : families.families()) {
            String relative = FamilyRegistry.relativeName(family, rawPath);
            if (relative == null) {
                continue;
            }
            List<Path> roots = new ArrayList<>();
            if (family.overrideDir() != null) {
                roots.add(family.overrideDir().resolve("files"));
            }
            roots.add(family.dir().resolve("files"));
            for (Path root : roots) {
                Optional<Path> found = inside(root, relative);
                if (found.isPresent()) {
                    return Optional.of(new Found(family, found.get()));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> inside(Path root, String relative) {
        try {
            if (!Files.isDirectory(root)) {
                return Optional.empty();
            }
            Path realRoot = root.toRealPath();
            Path candidate = root.resolve(relative).normalize();
            if (!Files.isRegularFile(candidate)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();
            return real.startsWith(realRoot) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Response serve(Request request, Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long size = attributes.size();
            String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(attributes.lastModifiedTime().toMillis())
                    + "\"";
            String ifNoneMatch = request.header("If-None-Match");
            if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
                return Response.empty(304).withHeader("ETag", etag);
            }
            String range = request.header("Range");
            String ifRange = request.header("If-Range");
            if (range != null && (ifRange == null || ifRange.equals(etag))) {
                Matcher m = RANGE.matcher(range.trim());
                if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                    return partial(file, size, etag, m.group(1), m.group(2));
                }
                // A multi-range or malformed Range is ignored, as RFC 9110 allows: the whole file follows.
            }
            return Response.file(200, OCTETS, new FileSlice(file, 0, size)).withHeader("ETag", etag)
                    .withHeader("Accept-Ranges", "bytes").withHeader("Cache-Control", "no-cache");
        } catch (IOException e) {
            // Gone or replaced since it was found: the next look walks the folders again.
            remembered.remove(request.rawPath());
            throw new UncheckedIOException(e);
        }
    }

    private static Response partial(Path file, long size, String etag, String first, String last) {
        long start;
        long end;
        try {
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(first);
                end = last.isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(last));
            }
        } catch (NumberFormatException e) {
            start = size;
            end = -1;
        }
        if (start >= size || end < start) {
            return Response.of(416, "text/plain; charset=utf-8", "range not satisfiable\n".getBytes())
                    .withHeader("Content-Range", "bytes */" + size).withHeader("ETag", etag);
        }
        return Response.file(206, OCTETS, new FileSlice(file, start, end - start + 1))
                .withHeader("Content-Range", "bytes " + start + "-" + end + "/" + size).withHeader("ETag", etag)
                .withHeader("Accept-Ranges", "bytes").withHeader("Cache-Control", "no-cache");
    }
}
