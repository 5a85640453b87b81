package dialtone.templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone families and e-mail templates shipped inside Dialtone's jar (under {@code templates/}), so that
 * {@code java -jar dialtone.jar serve} works from any folder. The operator's {@code templates.dir} replaces
 * them whenever that folder exists; otherwise they are copied, fresh at every start, into
 * {@code <data-dir>/shipped-templates} (Velocity reads templates from files) and served from there.
 */
public final class ShippedTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(ShippedTemplates.class);
    static final String PREFIX = "templates/";
    static final String FOLDER = "shipped-templates";

    private ShippedTemplates() {}

    /** The folder to serve templates from: {@code configured} when it exists, else the shipped ones. */
    public static Path resolve(Path configured, Path dataDir) {
        if (Files.isDirectory(configured)) {
            return configured;
        }
        Path target = dataDir.resolve(FOLDER);
        try {
            extract(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the shipped templates to " + target, e);
        }
        LOG.info("templates: templates.dir {} does not exist; serving the templates shipped in the jar (copied to {})",
                configured.toAbsolutePath(), target.toAbsolutePath());
        return target;
    }

    /** Writes the shipped tree into a fresh folder, then puts it in place of the previous copy. */
    private static void extract(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path fresh = Files.createTempDirectory(target.toAbsolutePath().getParent(), FOLDER + ".new-");
        Path source = codeSource();
        if (Files.isDirectory(source)) {
            copyTree(source.resolve(PREFIX), fresh);
        } else {
            try (ZipFile jar = new ZipFile(source.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (!name.startsWith(PREFIX) || entry.isDirectory() || name.contains("..")) {
                        continue;
                    }
                    Path out = fresh.resolve(name.substring(PREFIX.length())).normalize();
                    if (!out.startsWith(fresh)) {
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The jar this class was loaded from, or the classes folder when run from a build. */
    private static Path codeSource() {
        try {
            return Path.of(ShippedTemplates.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate Dialtone's own jar", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("no shipped templates in " + from);
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path out = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(out);
                } else {
                    Files.copy(p, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
