package dialtone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dialtone.core.Json;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "devices", mixinStandardHelpOptions = true, description = "Phones of an account, by MAC.",
        subcommands = {DeviceCommands.Create.class, DeviceCommands.ListAll.class, DeviceCommands.Get.class,
                DeviceCommands.Update.class, DeviceCommands.Delete.class, DeviceCommands.Bind.class,
                DeviceCommands.Unbind.class, DeviceCommands.Replace.class, DeviceCommands.Reactivate.class,
                DeviceCommands.Resync.class, DeviceCommands.ProvisioningPassword.class, DeviceCommands.Linphone.class,
                UploadCommands.class,
                DeviceCommands.Import.class, DeviceCommands.Export.class})
public final class DeviceCommands extends GroupCommand {

    /** The device a command acts on. */
    static class Target {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--mac", required = true, description = "MAC in any notation") String mac;

        String path() {
            return "/accounts/" + ApiCommand.segment(account) + "/devices/" + ApiCommand.segment(mac);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Add a device; prints its provisioning credentials once.")
    static final class Create extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--model", required = true, description = "model id, see 'dialtone models list'") String model;
        @Option(names = "--label") String label;

        @Override
        Call request() {
            var body = object();
            put(body, "mac", target.mac);
            put(body, "model", model);
            put(body, "label", label);
            return Call.json("POST", "/accounts/" + segment(target.account) + "/devices", body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's devices.")
    static final class ListAll extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get("/accounts/" + segment(account) + "/devices" + paging.query());
        }

        @Override
        List<String> columns() {
            return List.of("mac", "model", "label", "status", "userId", "userName", "inSync", "lastSeen.at",
                    "lastSeen.address");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one device and its last-seen record.")
    static final class Get extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.get(target.path());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a device's label or SIP contact.")
    static final class Update extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--label") String label;
        @Option(names = "--sip-contact", description = "where resync NOTIFYs go, e.g. sip:ada@192.0.2.10:5060")
        String sipContact;

        @Override
        Call request() {
            var body = object();
            put(body, "label", label);
            put(body, "sipContact", sipContact);
            return Call.json("PATCH", target.path(), body);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a device.")
    static final class Delete extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.delete(target.path());
        }
    }

    @Command(name = "bind", mixinStandardHelpOptions = true, description = "Bind a device to a user.")
    static final class Bind extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--user", required = true, description = "user id") String user;

        @Override
        Call request() {
            var body = object();
            put(body, "userId", user);
            return Call.json("PUT", target.path() + "/user", body);
        }
    }

    @Command(name = "unbind", mixinStandardHelpOptions = true, description = "Unbind a device from its user.")
    static final class Unbind extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.delete(target.path() + "/user");
        }
    }

    @Command(name = "replace", mixinStandardHelpOptions = true,
            description = "Swap a broken handset: the new MAC takes the user; the old device is retired.")
    static final class Replace extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--new-mac", required = true) String newMac;
        @Option(names = "--model", description = "model of the new handset (default: the old one's)") String model;
        @Option(names = "--label") String label;
        @Option(names = "--keep-sip-password", description = "do not rotate the user's SIP password") boolean keep;

        @Override
        Call request() {
            var body = object();
            put(body, "mac", newMac);
            put(body, "model", model);
            put(body, "label", label);
            if (keep) {
                body.put("keepSipPassword", true);
            }
            return Call.json("POST", target.path() + "/replace", body);
        }
    }

    @Command(name = "reactivate", mixinStandardHelpOptions = true,
            description = "Bring a retired device back (unbound, new provisioning credentials).")
    static final class Reactivate extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.post(target.path() + "/reactivate");
        }
    }

    @Command(name = "resync", mixinStandardHelpOptions = true,
            description = "Send the device a SIP NOTIFY so it fetches its files again; prints the outcome.")
    static final class Resync extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.post(target.path() + "/resync");
        }
    }

    @Command(name = "provisioning-password", mixinStandardHelpOptions = true,
            description = "Rotate a device's provisioning password; prints the new credentials once (admin token).")
    static final class ProvisioningPassword extends ApiCommand {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.post(target.path() + "/provisioning-password");
        }
    }

    @Command(name = "linphone", mixinStandardHelpOptions = true,
            description = {"Issue a Linphone app's remote provisioning URL with new credentials (admin token):",
                    "prints it once; --qr writes its QR code as a PNG for the app's scanner."})
    static final class Linphone extends ApiCommand {
        @Mixin Target target;
        @Option(names = "--qr", description = "PNG file to write the QR code to") Path qr;

        @Override
        Call request() {
            return Call.post(target.path() + "/linphone-provisioning");
        }

        @Override
        void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
            JsonNode json = Json.MAPPER.readTree(response.body());
            if (qr != null) {
                String png = json.path("qrCode").asText();
                Path tmp = qr.resolveSibling(qr.getFileName() + ".part");
                Files.write(tmp, Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1)));
                Files.move(tmp, qr, StandardCopyOption.REPLACE_EXISTING);
            }
            if (api.json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            } else {
                out.println("url  " + json.path("url").asText());
                if (qr != null) {
                    out.println("qr   " + qr);
                }
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Add devices from a CSV file; prints the per-row report (new credentials once).",
                    "Columns: mac,model,label,username (username binds the device to that user).",
                    "Rows already there are left as they are. Exits with 1 when any row failed."})
    static final class Import extends ImportCommand {
        @Override
        String collection() {
            return "devices";
        }

        @Override
        List<String> columns() {
            return List.of("line", "mac", "status", "provisioning.password", "errors");
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the account's devices as CSV (no secrets): mac,model,label,username,status.")
    static final class Export extends ExportCommand {
        @Override
        String collection() {
            return "devices";
        }
    }
}
