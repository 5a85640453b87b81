package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.server.Request;
import dialtone.server.Response;
import dialtone.testing.LogCapture;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The access line: one per request, and a hostile path can neither forge a line nor reach the terminal raw. */
class PhoneLogTest {

    @Test
    void aPathOfVisibleCharactersIsWrittenAsItCame() throws Exception {
        assertThat(lineFor("/0015654aa937.cfg?x={}")).isEqualTo("phone-request ip=192.0.2.7 method=GET"
                + " path=/0015654aa937.cfg?x={} status=200 mac=- reason=- model=- ms=0");
    }

    @Test
    void controlCharactersSpacesAndNonAsciiBecomeQuestionMarks() throws Exception {
        assertThat(lineFor("/a b\r\nphone-request ip=6.6.6.6\u001b[2J\u00e9.cfg"))
                .contains(" path=/a?b??phone-request?ip=6.6.6.6?[2J?.cfg status=200 ");
    }

    @Test
    void aLongPathIsCutAt200Characters() throws Exception {
        String line = lineFor("/" + "a".repeat(300));
        assertThat(line).contains(" path=/" + "a".repeat(199) + "... status=200 ");
    }

    private static String lineFor(String path) throws Exception {
        Request request = new Request("GET", path, path, Map.of(), new DefaultHttpHeaders(), new byte[0],
                InetAddress.getByName("192.0.2.7"), true, List.of());
        try (LogCapture logs = new LogCapture()) {
            PhoneLog.access(request, false, () -> Response.of(200, "text/plain", new byte[0]));
            List<String> lines = logs.lines().stream().filter(l -> l.startsWith("phone-request ")).toList();
            assertThat(lines).hasSize(1);
            return lines.get(0).replaceAll(" ms=\\d+$", " ms=0");
        }
    }
}
