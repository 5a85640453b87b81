package dialtone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheContract() {
        DialtoneConfig config = ConfigLoader.load(null, Map.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.phone()).isEqualTo(new DialtoneConfig.Listener("0.0.0.0", 8443));
        assertThat(config.admin()).isEqualTo(new DialtoneConfig.Listener("127.0.0.1", 9443));
        assertThat(config.tls().cert()).isEqualTo(Path.of("certs/server.crt"));
        assertThat(config.database().url()).startsWith("jdbc:h2:file:").endsWith(";DATABASE_TO_LOWER=TRUE");
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, "phone:\n  port: 1000\nsip:\n  voicemail-number: '*98'\n");

        DialtoneConfig config = ConfigLoader.load(file, Map.of("DIALTONE_PHONE_PORT", "2000"));

        assertThat(config.phone().port()).isEqualTo(2000);
        assertThat(config.sip().voicemailNumber()).isEqualTo("*98");
    }

    @Test
    void badValueStopsWithKeyAndValue() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_ADMIN_PORT", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("admin.port: '70000' is not a TCP/UDP port (0-65535)");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_SIP_TRANSPORT", "carrier-pigeon")))
                .hasMessage("sip.transport: 'carrier-pigeon' is not one of udp, tcp, tls");
        assertThatThrownBy(() -> ConfigLoader.load(null,
                Map.of("DIALTONE_DATABASE_URL", "jdbc:mysql://db.example/dialtone?password=hunter2")))
                .hasMessage("database.url: 'jdbc:mysql:...' is not an H2 or PostgreSQL JDBC URL"
                        + " (jdbc:h2:... or jdbc:postgresql://host:port/database)");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_DATABASE_URL", "postgres://u:secret@db/x")))
                .hasMessageStartingWith("database.url: 'postgres:...' is not");
    }

    @Test
    void tlsMovesTheDefaultSipPortTo5061AndAnExplicitPortWins() {
        assertThat(ConfigLoader.load(null, Map.of()).sip().port()).isEqualTo(5060);
        assertThat(ConfigLoader.load(null, Map.of("DIALTONE_SIP_TRANSPORT", "tls")).sip().port()).isEqualTo(5061);
        assertThat(ConfigLoader.load(null, Map.of("DIALTONE_SIP_TRANSPORT", "tls", "DIALTONE_SIP_PORT", "443")).sip()
                .port()).isEqualTo(443);
    }

    @Test
    void aDomainOtherThanTheRegistrarMakesTheRegistrarAnOutboundProxy() {
        DialtoneConfig.Sip plain = ConfigLoader.load(null, Map.of("DIALTONE_SIP_REGISTRAR", "pbx.example.net")).sip();
        DialtoneConfig.Sip split = ConfigLoader.load(null, Map.of("DIALTONE_SIP_REGISTRAR", "pbx.example.net",
                "DIALTONE_SIP_DOMAIN", "example.com", "DIALTONE_SIP_REALM", "asterisk")).sip();

        assertThat(plain.effectiveDomain()).isEqualTo("pbx.example.net");
        assertThat(plain.registrarIsProxy()).isFalse();
        assertThat(plain.effectiveRealm()).isEqualTo("pbx.example.net");
        assertThat(split.effectiveDomain()).isEqualTo("example.com");
        assertThat(split.registrarIsProxy()).isTrue();
        assertThat(split.effectiveRealm()).isEqualTo("asterisk");
    }

    @Test
    void timeDefaultsToPoolNtpPreferredOverDhcpAndTakesItsOwnServer() {
        assertThat(ConfigLoader.load(null, Map.of()).time()).isEqualTo(new DialtoneConfig.Time("pool.ntp.org", true));
        assertThat(ConfigLoader.load(null, Map.of("DIALTONE_TIME_NTP_SERVER", "ntp.example.net",
                "DIALTONE_TIME_OVERRIDE_DHCP", "false")).time()).isEqualTo(new DialtoneConfig.Time("ntp.example.net", false));
    }

    @Test
    void hostsWrittenIntoPhoneFilesMustBeHostNames() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_SIP_REGISTRAR", "pbx.example.net;lr")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sip.registrar: 'pbx.example.net;lr' is not a host name or IP address");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_SIP_DOMAIN", "example.com>")))
                .hasMessage("sip.domain: 'example.com>' is not a host name or IP address");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_TIME_NTP_SERVER", "")))
                .hasMessage("time.ntp-server: must not be empty");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_TIME_OVERRIDE_DHCP", "maybe")))
                .hasMessage("time.override-dhcp: 'maybe' is not true or false");
        assertThat(ConfigLoader.load(null, Map.of("DIALTONE_SIP_REGISTRAR", "[2001:db8::5]")).sip().registrar())
                .isEqualTo("[2001:db8::5]");
    }

    @Test
    void aPostgresUrlIsKeptAsGiven() {
        String url = "jdbc:postgresql://db.example:5432/dialtone?sslmode=require";
        assertThat(ConfigLoader.load(null, Map.of("DIALTONE_DATABASE_URL", url)).database().url()).isEqualTo(url);
    }

    @Test
    void unknownKeyInTheFileIsRefused() throws Exception {
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, "phone:\n  prot: 1000\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessage("phone.prot: unknown configuration key");
    }

    @Test
    void shippedConfigurationLoads() {
        DialtoneConfig config = ConfigLoader.load(Path.of("config/dialtone.yaml"), Map.of());

        assertThat(config.phone().port()).isEqualTo(8443);
        assertThat(config.toString()).doesNotContain("password=\"\"");
    }
}
