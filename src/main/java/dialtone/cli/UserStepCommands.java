package dialtone.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The add-user workflow's steps after the user's details: E911, device, greeting, welcome e-mail. */
final class UserStepCommands {

    private UserStepCommands() {}

    /** The user a step acts on. */
    static class Target {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--user", required = true, description = "user id") String user;

        String path(String step) {
            return "/accounts/" + ApiCommand.segment(account) + "/users/" + ApiCommand.segment(user) + "/" + step;
        }
    }

    @Command(name = "e911", mixinStandardHelpOptions = true, description = "Step 2: the user's E911 address.",
            subcommands = {E911Get.class, E911Set.class})
    static final class E911 extends GroupCommand {}

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Show the E911 address (pre-filled from the location until overridden) and whether it is"
                    + " confirmed.")
    static final class E911Get extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.get(target.path("e911"));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Confirm the E911 address as it is (--confirmed true), or override it with a civic address",
                    "(all five address options)."})
    static final class E911Set extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--confirmed", arity = "1", description = "true or false") Boolean confirmed;
        @Option(names = "--street") String street;
        @Option(names = "--city") String city;
        @Option(names = "--region") String region;
        @Option(names = "--postal-code") String postalCode;
        @Option(names = "--country", description = "ISO 3166 alpha-2, e.g. US") String country;

        @Override
        Call request() {
            var body = object();
            if (street != null || city != null || region != null || postalCode != null || country != null) {
                var address = body.putObject("address");
                put(address, "street", street);
                put(address, "city", city);
                put(address, "region", region);
                put(address, "postalCode", postalCode);
                put(address, "country", country);
            }
            put(body, "confirmed", confirmed);
            if (body.isEmpty()) {
                throw new CliException(2, "give --confirmed and/or the address options (--street, --city, ...)");
            }
            return Call.json("PUT", target.path("e911"), body);
        }
    }

    @Command(name = "device", mixinStandardHelpOptions = true, description = "Step 3: the user's device.",
            subcommands = {DeviceAssign.class, DeviceUnassign.class})
    static final class Device extends GroupCommand {}

    @Command(name = "assign", mixinStandardHelpOptions = true,
            description = {"Bind an unbound device of the account to the user, or with --model add a new one and bind",
                    "it (its provisioning credentials are printed once)."})
    static final class DeviceAssign extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--mac", required = true, description = "MAC in any notation") String mac;
        @Option(names = "--model", description = "model id of a new device, see 'dialtone models list'") String model;
        @Option(names = "--label") String label;
        @Option(names = "--move", description = "take the device even if another user has it") boolean move;

        @Override
        Call request() {
            var body = object();
            put(body, "mac", mac);
            put(body, "model", model);
            put(body, "label", label);
            if (move) {
                body.put("move", true);
            }
            return Call.json("PUT", target.path("device"), body);
        }
    }

    @Command(name = "unassign", mixinStandardHelpOptions = true,
            description = "Unbind the user's device (or, with --mac, that one device); prints what was unbound.")
    static final class DeviceUnassign extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--mac", description = "only this device (default: every device of the user)") String mac;

        @Override
        Call request() {
            return Call.delete(target.path("device") + (mac == null ? "" : "?mac=" + URLEncoder.encode(mac, UTF_8)));
        }
    }

    @Command(name = "greeting", mixinStandardHelpOptions = true, description = "Step 4: the user's voicemail greeting.",
            subcommands = {GreetingSet.class, GreetingGet.class, GreetingDelete.class})
    static final class Greeting extends GroupCommand {}

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Upload a greeting: WAV, mono, 8 or 16 kHz, 16-bit PCM or G.711, at most 120 s and 5 MiB.")
    static final class GreetingSet extends ApiCommand {
        @Mixin Target target;
        @Parameters(index = "0", description = "WAV file") Path file;

        @Override
        Call request() throws Exception {
            if (!Files.isReadable(file)) {
                throw new CliException(2, "cannot read " + file);
            }
            return new Call("PUT", target.path("greeting"), Files.readAllBytes(file), "audio/wav");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Fetch the greeting (the custom one, or the shipped default) as WAV; says which on stderr.")
    static final class GreetingGet extends ApiCommand {
        @Mixin Target target;
        @Mixin FileOutput output;

        @Override
        Call request() {
            return Call.get(target.path("greeting"));
        }

        @Override
        void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            err.println("greeting: " + response.headers().firstValue("X-Greeting").orElse("unknown"));
            output.write(response.body(), out, err);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Go back to the default greeting.")
    static final class GreetingDelete extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.delete(target.path("greeting"));
        }
    }

    @Command(name = "welcome-email", mixinStandardHelpOptions = true,
            description = "Step 5: send a fresh welcome e-mail with a new temporary portal password.")
    static final class WelcomeEmail extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.post(target.path("welcome-email"));
        }
    }
}
