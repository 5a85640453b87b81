package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The shipped fail2ban filter, run by the real fail2ban-regex over a log this server really wrote. */
class Fail2banFilterTest {

    static final Path FAIL2BAN_REGEX = Path.of("/usr/bin/fail2ban-regex");
    static final Path FILTER = Path.of("contrib/fail2ban/filter.d/dialtone.conf").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void filterMatchesFailedProofsButNeverAPhonesCredentialLessFirstRequestOrAStaleNonce() throws Exception {
        assumeThat(FAIL2BAN_REGEX).as("fail2ban-regex (Debian fail2ban) is installed by .ci/run").exists();
        Path log = dir.resolve("dialtone.log");
        FileAppender<ILoggingEvent> file = fileAppenderWithTheDefaultLayout(log);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(file);
        try (TestDialtone server = new TestDialtone(dir)) {
            AdminClient admin = server.admin();
            String account = admin.createAccount("Office");
            String mac = "0015654ab001";
            String password = admin.createDevice(account, mac, "yealink-t46s").json().path("provisioning")
                    .path("password").asText();
            HttpsClient phone = server.phone();
            // A power cut: five phones' first requests, then their proven second ones.
            for (int i = 0; i < 5; i++) {
                assertThat(phone.getDigest("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(200);
            }
            // Real failures: a wrong password twice, and credentials for a MAC that does not exist.
            assertThat(phone.getBasic("/" + mac + ".cfg", mac, "wrong-password").statusCode()).isEqualTo(401);
            assertThat(phone.getDigest("/" + mac + ".cfg", mac, "wrong-password").statusCode()).isEqualTo(401);
            assertThat(phone.getBasic("/0015654abfff.cfg", "0015654abfff", "guess").statusCode()).isEqualTo(401);
        } finally {
            root.detachAppender(file);
            file.stop();
        }

        Process run = new ProcessBuilder(FAIL2BAN_REGEX.toString(), "--print-all-matched", log.toString(),
                FILTER.toString()).redirectErrorStream(true).start();
        String report = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> logLines = Files.readAllLines(log);
        assertThat(logLines).filteredOn(l -> l.contains("reason=no-credentials")).hasSize(5 + 1);
        assertThat(report).as(report).containsPattern("Lines: \\d+ lines, 0 ignored, 3 matched");
        String matchedSection = report.substring(report.indexOf("|- Matched line(s):"));
        List<String> matched = matchedSection.substring(0, matchedSection.indexOf("`-")).lines()
                .filter(l -> l.contains("phone-request")).toList();
        assertThat(matched).hasSize(3).allMatch(l -> l.contains("reason=bad-credentials")
                || l.contains("reason=unknown-mac"));
    }

    @Test
    void readmeShowsTheShippedFilter() throws Exception {
        String failregex = Files.readAllLines(FILTER).stream().filter(l -> l.startsWith("failregex")).findFirst()
                .orElseThrow();
        assertThat(Files.readString(Path.of("README.md"))).contains(failregex);
    }

    /** A file appender with the layout the shipped logback.xml gives its console appender. */
    private static FileAppender<ILoggingEvent> fileAppenderWithTheDefaultLayout(Path log) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("CONSOLE");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(((PatternLayoutEncoder) console.getEncoder()).getPattern());
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setFile(log.toString());
        file.setEncoder(encoder);
        file.start();
        return file;
    }
}
