package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.RawHttps;
import dialtone.testing.TestDialtone;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forged or proxied Host header must not decide where phones fetch their next files from: the URL in
 * common files comes from phone.public-url, else from the server certificate's own names.
 */
class HostHeaderAttacksTest {

    private static String profileRuleOf(TestDialtone server, String host) throws Exception {
        String answer = RawHttps.exchange(server.certificate(), server.phonePort(), ("GET /8841-3PCC.xml HTTP/1.1\r\n"
                + "Host: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(RawHttps.status(answer)).isEqualTo(200);
        int start = answer.indexOf("<Profile_Rule_B ua=\"na\">") + "<Profile_Rule_B ua=\"na\">".length();
        return answer.substring(start, answer.indexOf("</Profile_Rule_B>", start));
    }

    @Test
    void aForgedHostHeaderDoesNotChangeTheUrlInCommonFiles(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_TLS_EXTRA_NAMES", "prov.example.net"))) {
            String expected = "https://prov.example.net:" + server.phonePort() + "/$MA.xml";

            assertThat(profileRuleOf(server, "evil.example.com")).isEqualTo(expected);
            assertThat(profileRuleOf(server, "127.0.0.1:" + server.phonePort())).isEqualTo(expected);
            assertThat(profileRuleOf(server, "localhost")).isEqualTo(expected);
        }
    }

    @Test
    void withoutExtraNamesTheCertificatesHostNameIsUsedNotLoopback(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir)) {
            assertThat(profileRuleOf(server, "evil.example.com")).isEqualTo(
                    "https://" + InetAddress.getLocalHost().getHostName() + ":" + server.phonePort() + "/$MA.xml");
        }
    }

    @Test
    void theConfiguredPublicUrlWins(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_PHONE_PUBLIC_URL", "https://prov.example.org:8443/"))) {
            assertThat(profileRuleOf(server, "evil.example.com")).isEqualTo("https://prov.example.org:8443/$MA.xml");
        }
    }

    @Test
    void aRequestWithTwoHostHeadersIsRefused(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir)) {
            byte[] request = ("GET /8841-3PCC.xml HTTP/1.1\r\nHost: prov.example.net\r\nHost: evil.example.com\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

            String phone = RawHttps.exchange(server.certificate(), server.phonePort(), request);
            String admin = RawHttps.exchange(server.certificate(), server.adminPort(), request);

            assertThat(RawHttps.status(phone)).isEqualTo(400);
            assertThat(phone).contains("more than one Host header").doesNotContain("Profile_Rule");
            assertThat(RawHttps.status(admin)).isEqualTo(400);
        }
    }
}
