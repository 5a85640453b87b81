package dialtone.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The versions of the Flyway scripts this build ships, in order: what a migrated database must have applied. */
final class Migrations {

    private Migrations() {}

    static List<String> versions() {
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
            return scripts.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).sorted(Comparator.comparingInt(Integer::parseInt))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
