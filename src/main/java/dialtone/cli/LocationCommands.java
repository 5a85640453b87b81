package dialtone.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "locations", mixinStandardHelpOptions = true, description = "Offices of an account.",
        subcommands = {LocationCommands.Create.class, LocationCommands.ListAll.class, LocationCommands.Get.class,
                LocationCommands.Update.class, LocationCommands.Delete.class})
public final class LocationCommands extends GroupCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a location.")
    static final class Create extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--street", required = true) String street;
        @Option(names = "--city", required = true) String city;
        @Option(names = "--region", required = true) String region;
        @Option(names = "--postal-code", required = true) String postalCode;
        @Option(names = "--country", required = true, description = "ISO 3166 alpha-2, e.g. US") String country;
        @Option(names = "--time-zone", required = true, description = "IANA zone, e.g. America/Chicago") String timeZone;

        @Override
        Call request() {
            var body = object();
            put(body, "name", name);
            var address = body.putObject("address");
            put(address, "street", street);
            put(address, "city", city);
            put(address, "region", region);
            put(address, "postalCode", postalCode);
            put(address, "country", country);
            put(body, "timeZone", timeZone);
            return Call.json("POST", "/accounts/" + segment(account) + "/locations", body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's locations.")
    static final class ListAll extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get("/accounts/" + segment(account) + "/locations" + paging.query());
        }

        @Override
        List<String> columns() {
            return List.of("id", "name", "address.city", "address.country", "timeZone");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one location.")
    static final class Get extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--location", required = true) String location;

        @Override
        Call request() {
            return Call.get("/accounts/" + segment(account) + "/locations/" + segment(location));
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a location's name, E911 address (give all five address options) or time zone.")
    static final class Update extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--location", required = true) String location;
        @Option(names = "--name") String name;
        @Option(names = "--street") String street;
        @Option(names = "--city") String city;
        @Option(names = "--region") String region;
        @Option(names = "--postal-code") String postalCode;
        @Option(names = "--country", description = "ISO 3166 alpha-2, e.g. US") String country;
        @Option(names = "--time-zone", description = "IANA zone, e.g. America/Chicago") String timeZone;

        @Override
        Call request() {
            var body = object();
            put(body, "name", name);
            if (street != null || city != null || region != null || postalCode != null || country != null) {
                var address = body.putObject("address");
                put(address, "street", street);
                put(address, "city", city);
                put(address, "region", region);
                put(address, "postalCode", postalCode);
                put(address, "country", country);
            }
            put(body, "timeZone", timeZone);
            return Call.json("PATCH", "/accounts/" + segment(account) + "/locations/" + segment(location), body);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a location no user is at (move its users first).")
    static final class Delete extends ApiCommand {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--location", required = true) String location;

        @Override
        Call request() {
            return Call.delete("/accounts/" + segment(account) + "/locations/" + segment(location));
        }
    }
}
