package dialtone;

import dialtone.cli.AccountCommands;
import dialtone.cli.AdminCommands;
import dialtone.cli.AuditCommands;
import dialtone.cli.BackupCommand;
import dialtone.cli.DeviceCommands;
import dialtone.cli.DiscoveredDeviceCommands;
import dialtone.cli.GroupCommand;
import dialtone.cli.LocationCommands;
import dialtone.cli.ModelCommands;
import dialtone.cli.RestoreCommand;
import dialtone.cli.SecurityPolicyCommands;
import dialtone.cli.TokenCommands;
import dialtone.cli.UserCommands;
import dialtone.cli.VarsCommands;
import dialtone.config.ConfigException;
import dialtone.config.ConfigLoader;
import dialtone.config.DialtoneConfig;
import dialtone.provisioning.PhoneTemplateFixtures;
import dialtone.templates.TemplateChecker;
import dialtone.templates.TemplateException;
import dialtone.templates.ShippedTemplates;
import dialtone.templates.TemplateSet;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code dialtone} command line. */
@Command(name = "dialtone", mixinStandardHelpOptions = true, version = "Dialtone 0.1",
        description = "SIP desk-phone provisioning server.",
        subcommands = {Main.Serve.class, AccountCommands.class, LocationCommands.class, UserCommands.class,
                DeviceCommands.class, VarsCommands.class, DiscoveredDeviceCommands.class, ModelCommands.class,
                SecurityPolicyCommands.class, TokenCommands.class, AdminCommands.class, AuditCommands.class, BackupCommand.class,
                RestoreCommand.class, Main.Templates.class})
public final class Main extends GroupCommand {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            // The server starts without first building the model of every API command: part of a cold start.
            System.exit(withErrors(new CommandLine(new Serve()).setCommandName("dialtone serve"))
                    .execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(commandLine().execute(args));
    }

    /** The whole command tree; exit codes: 0 done, 1 refused or failed, 2 usage. */
    public static CommandLine commandLine() {
        return withErrors(new CommandLine(new Main()));
    }

    private static CommandLine withErrors(CommandLine cli) {
        return cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("dialtone: " + e.getMessage());
            return 1;
        });
    }


    /** Options every command that reads the configuration shares. */
    static class ConfigOption {
        @Option(names = "--config", description = "configuration file (default: ${DEFAULT-VALUE})",
                defaultValue = "config/dialtone.yaml")
        Path config;

        /** The configuration, or null after telling the operator what is wrong with it. */
        DialtoneConfig loadOrExplain() {
            try {
                return ConfigLoader.load(config);
            } catch (ConfigException e) {
                System.err.println("dialtone: configuration error: " + e.getMessage());
                return null;
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the phone and admin listeners.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption options = new ConfigOption();

        @Override
        public Integer call() throws Exception {
            Path file = options.config.toAbsolutePath();
            DialtoneConfig config = options.loadOrExplain();
            if (config == null) {
                return 2;
            }
            if (config.logging().json()) {
                LogFormat.useJson();
            }
            // The logger is made here, not for every command: the API commands never start logging.
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
            if (java.nio.file.Files.isRegularFile(file)) {
                log.info("configuration: {}", file);
            } else {
                log.info("configuration: {} not found; built-in defaults and DIALTONE_* environment variables apply", file);
            }
            Dialtone dialtone;
            try {
                dialtone = Dialtone.start(config);
            } catch (Exception e) {
                System.err.println("dialtone: cannot start: " + e.getMessage());
                return 1;
            }
            // SIGTERM (systemd's stop, docker stop, Process.destroy) is a request to stop: drained, in order,
            // exit code 0. Other ways out (Ctrl-C, System.exit elsewhere) still stop through the shutdown hook.
            CountDownLatch terminated = new CountDownLatch(1);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> terminated.countDown());
            Runtime.getRuntime().addShutdownHook(new Thread(dialtone::close, "dialtone-shutdown"));
            terminated.await();
            log.info("SIGTERM: stopping (ready answers 503; requests in flight may take {} ms)",
                    config.server().drainTimeoutMillis());
            dialtone.close();
            return 0;
        }
    }

    @Command(name = "templates", mixinStandardHelpOptions = true, description = "Work with phone templates.",
            subcommands = {TemplatesCheck.class})
    static final class Templates extends GroupCommand {
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate every family: family.yaml schema, template syntax, rendering with fixture data, "
                    + "well-formed XML and unbroken ini/text lines. Exit 0 when all are good, 1 otherwise.")
    static final class TemplatesCheck implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption options = new ConfigOption();

        @Override
        public Integer call() {
            DialtoneConfig config = options.loadOrExplain();
            if (config == null) {
                return 2;
            }
            try {
                TemplateSet set = new TemplateChecker(new PhoneTemplateFixtures(config.sip(), config.time()))
                        .load(ShippedTemplates.resolve(config.templatesDir(), config.dataDir()),
                                config.provisioning().templatesOverrideDir());
                int files = set.families().families().stream().mapToInt(f -> f.files().size()).sum();
                System.out.println("templates OK: " + set.families().families().size() + " families, "
                        + set.families().models().size() + " models, " + files + " files");
                return 0;
            } catch (TemplateException e) {
                e.problems().forEach(problem -> System.err.println("error: " + problem));
                System.err.println(e.problems().size() + " problem(s) found");
                return 1;
            }
        }
    }
}
