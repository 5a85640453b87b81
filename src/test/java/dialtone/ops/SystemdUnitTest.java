package dialtone.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shipped systemd unit is one systemd accepts, with the hardening the README promises. */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("contrib/systemd/dialtone.service");
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @Test
    void systemdAnalyzeVerifyFindsNothingToSayAboutTheShippedUnit() throws Exception {
        assumeTrue(Files.isExecutable(ANALYZE), "systemd-analyze is not installed here: the unit is not verified");
        Process verify = new ProcessBuilder(ANALYZE.toString(), "verify", UNIT.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(verify.exitValue()).as(said).isZero();
        assertThat(said.lines().filter(l -> l.contains("dialtone.service"))).as(said).isEmpty();
    }

    @Test
    void theUnitsJvmOptionsAreOnesThisJavaAccepts() throws Exception {
        String execStart = Files.readString(UNIT).lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        List<String> words = List.of(execStart.substring("ExecStart=".length()).split(" "));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(words.subList(1, words.indexOf("-jar")));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.exitValue()).as(said).isZero();
        assertThat(words.subList(1, words.indexOf("-jar"))).contains("-Xmx512m");
    }

    @Test
    void theUnitRunsAsADedicatedUserWithTheHardeningTheReadmeNames() throws Exception {
        String unit = Files.readString(UNIT);

        assertThat(unit.lines()).contains("User=dialtone", "NoNewPrivileges=true", "ProtectSystem=strict",
                "Restart=on-failure", "KillSignal=SIGTERM");
        assertThat(unit.lines()).anyMatch(l -> l.startsWith("ReadWritePaths=") && l.contains("/var/lib/dialtone"));
        assertThat(unit.lines()).anyMatch(l -> l.startsWith("Environment=DIALTONE_DATA_DIR=/var/lib/dialtone"));
    }
}
