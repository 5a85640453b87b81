package dialtone.cli;

import dialtone.config.ConfigLoader;
import dialtone.config.DialtoneConfig;
import dialtone.security.SecretBox;
import dialtone.store.BackupSeal;
import dialtone.store.Backups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Bring back a backup taken with 'dialtone backup' (stop the server first).",
                "The data directory's secret.key must be the one the backup was sealed with: a backup that",
                "was altered, or taken by a server with another key, is refused before it is read.",
                "The replaced database is kept beside it as dialtone.mv.db.before-restore-<time>."})
public final class RestoreCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "backup zip")
    Path file;

    @Option(names = "--config", defaultValue = "config/dialtone.yaml", description = "configuration file")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        try {
            DialtoneConfig settings = ConfigLoader.load(config);
            Path keyFile = settings.dataDir().resolve("secret.key");
            if (!Files.exists(keyFile) || !Files.exists(file)) {
                err.println("dialtone: " + (Files.exists(file) ? keyFile + " is missing: put back the secret.key "
                        + "that belongs to the backup" : file + " does not exist"));
                return 1;
            }
            Path kept = Backups.restore(file, settings.database(), settings.dataDir(),
                    SecretBox.loadOrCreate(keyFile).mac(BackupSeal.PURPOSE));
            spec.commandLine().getOut().println("restored " + file + (kept == null ? "" : "; previous database kept as " + kept));
            return 0;
        } catch (Exception e) {
            err.println("dialtone: restore failed: " + e.getMessage());
            return 1;
        }
    }
}
