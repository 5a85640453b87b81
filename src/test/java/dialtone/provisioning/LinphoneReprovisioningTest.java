package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.TestDialtone;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Linphone (Debian's linphone-cli, {@code linphonec}, headless): the first start provisions from the
 * URL carrying the device's credentials; after the user's name and SIP password change through the admin API,
 * linphonec started again on its own saved configuration fetches the file again and has the change.
 */
class LinphoneReprovisioningTest {

    private static final Path LINPHONEC = Path.of("/usr/bin/linphonec");
    private static final String ID = "5e0c6ba1000d";

    @TempDir
    Path dir;
    TestDialtone server;
    AdminClient admin;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(LINPHONEC), "linphonec is not installed (Debian package linphone-cli; .ci/run installs it)");
        // The public URL names the phone port, known once bound: start on port 0, then again on the port it got.
        server = new TestDialtone(dir);
        int port = server.phonePort();
        server.restart(Map.of("DIALTONE_PHONE_PORT", Integer.toString(port),
                "DIALTONE_PHONE_PUBLIC_URL", "https://localhost:" + port));
        admin = server.admin();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void linphoneStartedAgainOnItsSavedConfigurationPicksUpANewNameAndSipPassword() throws Exception {
        String account = admin.createAccount("Acme");
        String user = admin.createUser(account, admin.createLocation(account, "Europe/Berlin"), "ada", "101").get("id");
        admin.createDevice(account, ID, "linphone-desktop");
        admin.bind(account, ID, user);
        // What the installer scans: the QR code the admin API answers with (the certificate Dialtone generated
        // names "localhost", which liblinphone checks against the URL).
        AdminClient.Reply issued = admin.post("/accounts/" + account + "/devices/" + ID + "/linphone-provisioning", "");
        String url = LinphoneProvisioningRouteTest.decodeQr(issued.json().path("qrCode").asText());
        assertThat(url).isEqualTo(issued.json().path("url").asText()).startsWith("https://" + ID + ":");
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".local/share/linphone"));
        Path rc = home.resolve("linphonerc");
        Files.writeString(rc, """
                [misc]
                config-uri=%s
                [sip]
                sip_port=-1
                sip_tcp_port=-1
                sip_tls_port=-1
                root_ca=%s
                """.formatted(url, dir.resolve("certs/server.crt")));

        try (Linphonec first = new Linphonec(home, rc)) {
            assertThat(first.awaitProxyListContaining("\"Ada Lovelace\" <sip:")).contains("sip.test.example");
        }
        assertThat(Files.readString(rc)).doesNotContain("config-uri=https://localhost");

        assertThat(admin.patch("/accounts/" + account + "/users/" + user, "{\"firstName\":\"Augusta\"}").status())
                .isEqualTo(200);
        AdminClient.Reply rotated = admin.post("/accounts/" + account + "/users/" + user + "/sip-password", "");
        String newSipPassword = rotated.json().path("password").asText();
        assertThat(newSipPassword).isNotBlank();

        try (Linphonec again = new Linphonec(home, rc)) {
            again.awaitProxyListContaining("\"Augusta Lovelace\" <sip:");
        }
        assertThat(Files.readString(rc)).contains("passwd=" + newSipPassword);
    }

    /** linphonec in its own HOME on one configuration file, driven through its command prompt. */
    private static final class Linphonec implements AutoCloseable {

        private final Process process;
        private final OutputStream commands;
        private final StringBuffer output = new StringBuffer();

        Linphonec(Path home, Path rc) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(LINPHONEC.toString(), "-c", rc.toString(), "-d", "0")
                    .redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            process = builder.start();
            commands = process.getOutputStream();
            Thread reader = new Thread(() -> copy(process.getInputStream()), "linphonec-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void copy(InputStream in) {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException closed) {
                // the process ended
            }
        }

        /** Asks for the proxy list until one carries {@code text} (the remote provisioning has then landed). */
        String awaitProxyListContaining(String text) throws Exception {
            return Await.until("linphonec's proxy list to show " + text, () -> {
                int from = output.length();
                send("proxy list");
                return Await.until("linphonec to answer 'proxy list'", () -> output.substring(from),
                        answer -> answer.contains("No proxies defined") || answer.contains("identity:"));
            }, answer -> answer.contains(text));
        }

        private void send(String command) throws IOException {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                send("quit");
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
