package dialtone.templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template set in service, reloaded when a file under the templates or override folder changes.
 * A reload that fails its check is logged (file:line) and the last good set keeps serving.
 */
public final class LiveTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(LiveTemplates.class);
    private final Path dir;
    private final Path overrideDir;
    private final TemplateChecker checker;
    private volatile TemplateSet current;
    private String fingerprint;
    private final List<Runnable> reloadListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LiveTemplates(Path dir, Path overrideDir, TemplateChecker checker) {
        this.dir = dir;
        this.overrideDir = overrideDir;
        this.checker = checker;
        this.fingerprint = fingerprint();
        this.current = checker.load(dir, overrideDir);
    }

    /** Loads and checks every family; throws (file:line) when any is broken, so the server does not start. */
    public static LiveTemplates load(Path dir, Path overrideDir, TemplateFixtures fixtures) {
        return new LiveTemplates(dir, overrideDir, new TemplateChecker(fixtures));
    }

    public TemplateSet current() {
        return current;
    }

    public FamilyRegistry families() {
        return current.families();
    }

    /** Runs {@code listener} after each reload that put a new set in service. */
    public void onReload(Runnable listener) {
        reloadListeners.add(listener);
    }

    /** Rebuilds the set if any file changed; a broken edit keeps the last good set. Called periodically. */
    public synchronized void reloadIfChanged() {
        String now;
        try {
            now = fingerprint();
        } catch (RuntimeException e) {
            LOG.error("templates: cannot scan for changes: {}", e.getMessage());
            return;
        }
        if (now.equals(fingerprint)) {
            return;
        }
        fingerprint = now;
        try {
            current = checker.load(dir, overrideDir);
            LOG.info("templates: reloaded {} families", current.families().families().size());
            reloadListeners.forEach(Runnable::run);
        } catch (TemplateException e) {
            for (String problem : e.problems()) {
                LOG.error("templates: edit refused, still serving the last good version: {}", problem);
            }
        } catch (RuntimeException e) {
            LOG.error("templates: edit refused, still serving the last good version: {}", e.toString());
        }
    }

    /** Names, sizes and modification times of every file except static {@code files/}: cheap to compute often. */
    private String fingerprint() {
        StringBuilder out = new StringBuilder();
        for (Path root : overrideDir == null ? List.of(dir) : List.of(dir, overrideDir)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<String> entries = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(root, 3)) {
                walk.filter(p -> !root.relativize(p).toString().matches("[^/]+/files(/.*)?")).forEach(p -> {
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                        entries.add(p + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "|"
                                + a.lastModifiedTime().toInstant().getNano());
                    } catch (IOException e) {
                        entries.add(p + "|gone");
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            entries.sort(null);
            entries.forEach(e -> out.append(e).append('\n'));
        }
        return out.toString();
    }
}
