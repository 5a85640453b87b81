package dialtone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's day, from the README alone: every ```sh block of README.md runs, exactly as written, in a
 * fresh copy of the project, in README order, in one bash session (blocks share variables as a reader's
 * terminal does), with no environment but PATH, HOME, LANG and JAVA_HOME. The block that starts the server
 * (marked {@code <!-- readme-test: server -->}) runs in the background; the others talk to it. Any failing
 * command fails the build: the README's curl helper fails on an HTTP error (a 401 among them), and the
 * script stops at the first error, naming the README line of its block. A block may be skipped only with
 * a reason shown in the README ({@code <!-- readme-test: skip: needs a PostgreSQL server -->}); blocks
 * marked {@code stop-server} run last, once the server has been stopped. The session runs in a network
 * namespace of its own (unshare -rn; without one the test is reported skipped), so the README's fixed ports
 * never collide with anything and nothing leaves the machine.
 */
class ReadmeExamplesIT {

    private static final Pattern FENCE = Pattern.compile("^```sh\\s*$");
    private static final Pattern MARKER = Pattern.compile("^<!-- readme-test: (server|stop-server|skip: (.+)) -->$");
    private static final Set<String> NOT_COPIED = Set.of("target", "data", ".git", "certs/server.crt", "certs/server.key");

    /** One ```sh block: the README.md line of its opening fence, its text, and how it is to run. */
    record Block(int line, String text, String marker, String skipReason) {
        boolean server() {
            return "server".equals(marker);
        }

        boolean afterStop() {
            return "stop-server".equals(marker);
        }
    }

    static List<Block> blocks(List<String> readme) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (!FENCE.matcher(readme.get(i)).matches()) {
                continue;
            }
            int start = i + 1;
            StringBuilder text = new StringBuilder();
            for (i = start; i < readme.size() && !readme.get(i).startsWith("```"); i++) {
                text.append(readme.get(i)).append('\n');
            }
            String marker = null;
            String reason = null;
            int previous = start - 2;
            while (previous >= 0 && readme.get(previous).isBlank()) {
                previous--;
            }
            Matcher m = previous >= 0 ? MARKER.matcher(readme.get(previous).trim()) : null;
            if (m != null && m.matches()) {
                marker = m.group(2) == null ? m.group(1) : "skip";
                reason = m.group(2);
            }
            blocks.add(new Block(start, text.toString(), marker, reason));
        }
        return blocks;
    }

    /** The whole session as one bash script; BLOCK names the README line of the block that is running. */
    static String script(List<Block> blocks) {
        StringBuilder s = new StringBuilder("""
                set -Eeuo pipefail
                shopt -s expand_aliases
                BLOCK=0
                trap 'echo "readme-test: the block at README.md line $BLOCK failed (exit $?)" >&2' ERR
                stop_server() {
                  if [ -n "${SERVER:-}" ]; then kill -- "-$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; fi
                }
                trap stop_server EXIT
                """);
        // Blocks that need the server stopped run last, whatever their place in the README.
        List<Block> ordered = new ArrayList<>(blocks.stream().filter(b -> !b.afterStop()).toList());
        ordered.addAll(blocks.stream().filter(Block::afterStop).toList());
        for (Block block : ordered) {
            s.append("\n# README.md line ").append(block.line()).append('\n');
            if (block.skipReason() != null) {
                s.append("echo 'readme-test: skipped the block at README.md line ").append(block.line())
                        .append(": ").append(block.skipReason().replace("'", "")).append("'\n");
                continue;
            }
            s.append("BLOCK=").append(block.line()).append('\n');
            if (block.afterStop()) {
                s.append("stop_server\n");
            }
            if (block.server()) {
                // setsid: the server and whatever it started form one process group, stopped as one.
                s.append("cat > readme-server.sh <<'README_BLOCK'\n").append(block.text()).append("README_BLOCK\n")
                        .append("setsid bash readme-server.sh > readme-server.log 2>&1 &\nSERVER=$!\n")
                        .append("""
                                for i in $(seq 1 1800); do
                                  if grep -q 'Dialtone started' readme-server.log; then break; fi
                                  if ! kill -0 "$SERVER" 2>/dev/null; then cat readme-server.log >&2; exit 1; fi
                                  sleep 1
                                done
                                grep -q 'Dialtone started' readme-server.log
                                """);
            } else {
                s.append(block.text());
            }
        }
        return s.append("\nBLOCK=end\nstop_server\necho 'readme-test: every block ran'\n").toString();
    }

    @Test
    void everyShellBlockOfTheReadmeRunsAsWritten(@TempDir Path work) throws Exception {
        Path project = Path.of("").toAbsolutePath();
        List<String> readme = Files.readAllLines(project.resolve("README.md"));
        List<Block> blocks = blocks(readme);
        assertThat(blocks).as("README.md has shell blocks").isNotEmpty();
        assertThat(blocks.stream().filter(Block::server)).as("one block starts the server").hasSize(1);
        for (Block block : blocks) {
            assertThat(block.skipReason() == null || !block.skipReason().isBlank())
                    .as("a skipped block says why (README.md line " + block.line() + ")").isTrue();
        }
        Path copy = work.resolve("dialtone");
        copyProject(project, copy);
        Path script = work.resolve("readme.sh");
        Files.writeString(script, script(blocks));
        Path output = work.resolve("readme.out");

        assumeTrue(privateNetworkAvailable(), "needs a network namespace of its own (unshare -rn and ip): the README's"
                + " resync examples send SIP NOTIFYs to phones at 10.0.0.x, which must reach nothing");
        ProcessBuilder builder = new ProcessBuilder("unshare", "-rn", "bash", "-c", "ip link set lo up && exec bash " + script).directory(copy.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", System.getProperty("user.home"));
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process session = builder.start();
        boolean finished = session.waitFor(40, TimeUnit.MINUTES);
        if (!finished) {
            session.descendants().forEach(ProcessHandle::destroy);
            session.destroy();
            session.waitFor(30, TimeUnit.SECONDS);
            session.descendants().forEach(ProcessHandle::destroyForcibly);
            session.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        String tail = out.length() > 6000 ? out.substring(out.length() - 6000) : out;
        System.out.println(out);

        assertThat(finished).as("the README session finished; its output ends:\n" + tail).isTrue();
        assertThat(session.exitValue()).as("the README session; its output ends:\n" + tail).isZero();
        assertThat(out).contains("readme-test: every block ran");
    }

    /** Whether this system lets us run the session in a network namespace of its own. */
    private static boolean privateNetworkAvailable() {
        try {
            Process probe = new ProcessBuilder("unshare", "-rn", "ip", "link", "set", "lo", "up")
                    .redirectErrorStream(true).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The project as a fresh checkout has it: no build output, no data, no generated certificate. */
    private static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String relative = from.relativize(p).toString().replace('\\', '/');
                if (NOT_COPIED.stream().anyMatch(n -> relative.equals(n) || relative.startsWith(n + "/"))) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
