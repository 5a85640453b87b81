package dialtone.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "users", mixinStandardHelpOptions = true, description = "Users of an account.",
        subcommands = {UserCommands.Create.class, UserCommands.ListAll.class, UserCommands.Get.class,
                UserCommands.Update.class, UserCommands.Delete.class, UserCommands.SipPassword.class,
                UserStepCommands.E911.class, UserStepCommands.Device.class, UserStepCommands.Greeting.class,
                UserStepCommands.WelcomeEmail.class, UserCommands.Import.class, UserCommands.Export.class})
public final class UserCommands extends GroupCommand {

    /** Every user field as an option; only the options given are sent. */
    static class Fields {
        @Option(names = "--first-name", description = "required on create") String firstName;
        @Option(names = "--last-name", description = "required on create") String lastName;
        @Option(names = "--username", description = "required on create; letters, digits, . - : [ ], unique across "
                + "all accounts") String username;
        @Option(names = "--email", description = "required on create") String email;
        @Option(names = "--email-voicemails", arity = "1", description = "true or false") Boolean emailVoicemails;
        @Option(names = "--phone-number", description = "E.164, e.g. +14155552671") String phoneNumber;
        @Option(names = "--extension", description = "required on create; 2-10 digits, unique in the account")
        String extension;
        @Option(names = "--unreachable-forward", description = "E.164 number or an extension") String unreachableForward;
        @Option(names = "--location", description = "required on create: the location's id") String locationId;
        @Option(names = "--time-zone") String timeZone;
        @Option(names = "--authorized-user", arity = "1", description = "true or false") Boolean authorizedUser;
        @Option(names = "--pin", interactive = true, arity = "0..1",
                description = "authorized-user PIN; give the option without a value to be prompted") String pin;
        @Option(names = "--send-welcome-email", arity = "1", description = "true or false") Boolean sendWelcomeEmail;

        ObjectNode body() {
            ObjectNode body = ApiCommand.object();
            ApiCommand.put(body, "firstName", firstName);
            ApiCommand.put(body, "lastName", lastName);
            ApiCommand.put(body, "username", username);
            ApiCommand.put(body, "email", email);
            ApiCommand.put(body, "emailVoicemails", emailVoicemails);
            ApiCommand.put(body, "phoneNumber", phoneNumber);
            ApiCommand.put(body, "extension", extension);
            ApiCommand.put(body, "unreachableForward", unreachableForward);
            ApiCommand.put(body, "locationId", locationId);
            ApiCommand.put(body, "timeZone", timeZone);
            ApiCommand.put(body, "authorizedUser", authorizedUser);
            ApiCommand.put(body, "pin", pin);
            ApiCommand.put(body, "sendWelcomeEmail", sendWelcomeEmail);
            return body;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user; prints the SIP credentials once.")
    static final class Create extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Mixin Fields fields;

        @Override
        Call request() {
            return Call.json("POST", "/accounts/" + segment(account) + "/users", fields.body());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's users, sorted by name.")
    static final class ListAll extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--search", description = "only users whose name, username, extension, number or e-mail "
                + "contains this text") String search;
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get("/accounts/" + segment(account) + "/users" + paging.query("q", search));
        }

        @Override
        List<String> columns() {
            return List.of("id", "username", "firstName", "lastName", "extension", "phoneNumber", "timeZone");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one user.")
    static final class Get extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--user", required = true) String user;

        @Override
        Call request() {
            return Call.get("/accounts/" + segment(account) + "/users/" + segment(user));
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change the given fields of a user.")
    static final class Update extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--user", required = true) String user;
        @Option(names = "--clear", split = ",", description = "fields to empty, e.g. phoneNumber,unreachableForward")
        List<String> clear = List.of();
        @Mixin Fields fields;

        @Override
        Call request() {
            ObjectNode body = fields.body();
            clear.forEach(body::putNull);
            return Call.json("PATCH", "/accounts/" + segment(account) + "/users/" + segment(user), body);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user (its devices are unbound).")
    static final class Delete extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--user", required = true) String user;

        @Override
        Call request() {
            return Call.delete("/accounts/" + segment(account) + "/users/" + segment(user));
        }
    }

    @Command(name = "sip-password", mixinStandardHelpOptions = true,
            description = "Rotate a user's SIP password; prints the new credentials once (admin token).")
    static final class SipPassword extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--user", required = true) String user;

        @Override
        Call request() {
            return Call.post("/accounts/" + segment(account) + "/users/" + segment(user) + "/sip-password");
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Create users from a CSV file; prints the per-row report (new credentials once).",
                    "The header row names user fields, plus optional mac and model to add and bind a device.",
                    "Rows already there are left as they are. Exits with 1 when any row failed."})
    static final class Import extends ImportCommand {
        @Override
        String collection() {
            return "users";
        }

        @Override
        List<String> columns() {
            return List.of("line", "username", "status", "id", "sip.password", "mac", "provisioning.password", "errors");
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the account's users as CSV (no secrets), in the form import reads.")
    static final class Export extends ExportCommand {
        @Override
        String collection() {
            return "users";
        }
    }
}
