package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener's real pipeline ({@link ServerInitializer}: codec, deadline, aggregator, dispatch) on an
 * {@link EmbeddedChannel}, without sockets or TLS: the test thread runs the worker tasks and the event loop,
 * so every step is in a known order.
 */
class PipelineTest {

    private static final int MAX_BODY = 1024;

    /** Worker tasks handed off by the dispatcher, run by the test when it chooses. */
    private final Queue<Runnable> work = new ArrayDeque<>();
    private final List<String> handled = new ArrayList<>();
    private EmbeddedChannel channel;

    /** Answers with the request's method and path as the body. */
    private final RequestHandler echo = request -> {
        handled.add(request.method() + " " + request.rawPath());
        return Response.of(200, "text/plain", (request.method() + " " + request.rawPath()).getBytes(StandardCharsets.UTF_8));
    };

    /** An embedded channel that reports a TCP peer, as a socket channel would. */
    private static final class FromPeer extends EmbeddedChannel {
        FromPeer(io.netty.channel.ChannelHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("192.0.2.10", 40_000);
        }
    }

    private EmbeddedChannel open(RequestHandler handler, Executor workers) {
        DispatchHandler dispatch = new DispatchHandler(handler, workers, new ClientAddresses(List.of()));
        channel = new FromPeer(new ServerInitializer(null, new ServerLimits(5_000, 5_000, MAX_BODY), dispatch));
        return channel;
    }

    private EmbeddedChannel open() {
        return open(echo, work::add);
    }

    @AfterEach
    void release() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void send(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    /** Runs queued worker tasks and the event loop's tasks until neither has anything left. */
    private void settle() {
        channel.runPendingTasks();
        for (Runnable task; (task = work.poll()) != null; ) {
            task.run();
            channel.runPendingTasks();
        }
    }

    /** Everything written to the wire so far. */
    private String written() {
        StringBuilder out = new StringBuilder();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) message;
            out.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return out.toString();
    }

    private static String get(String method, String target, String extraHeaders) {
        return method + " " + target + " HTTP/1.1\r\nHost: phone.test\r\n" + extraHeaders + "\r\n";
    }

    private static List<String> statuses(String wire) {
        Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(wire);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void headAnswersWithTheGetHeadersButNoBody() {
        open();
        send(get("GET", "/file.cfg", ""));
        settle();
        String getAnswer = written();
        send(get("HEAD", "/file.cfg", ""));
        settle();
        String headAnswer = written();

        assertThat(getAnswer).startsWith("HTTP/1.1 200").contains("content-length: 13").endsWith("\r\n\r\nGET /file.cfg");
        assertThat(headAnswer).startsWith("HTTP/1.1 200").contains("content-length: 14").endsWith("\r\n\r\n");
        assertThat(handled).containsExactly("GET /file.cfg", "HEAD /file.cfg");
    }

    @Test
    void keepAliveRequestsLeaveTheConnectionOpen() {
        open();
        send(get("GET", "/a", ""));
        settle();
        send(get("GET", "/b", ""));
        settle();

        String wire = written();
        assertThat(statuses(wire)).containsExactly("200", "200");
        assertThat(wire).doesNotContainIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectionCloseIsAnsweredAndThenTheConnectionIsClosed() {
        open();
        send(get("GET", "/a", "Connection: close\r\n"));
        settle();

        assertThat(written()).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheAnswer() {
        open();
        send("GET /a HTTP/1.0\r\n\r\n");
        settle();

        assertThat(written()).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aBodyOverTheLimitIs413AndNeverReachesTheHandler() {
        open();
        send("PUT /upload HTTP/1.1\r\nHost: phone.test\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n"
                + "x".repeat(MAX_BODY + 1));
        settle();

        assertThat(statuses(written())).containsExactly("413");
        assertThat(handled).isEmpty();
    }

    @Test
    void aChunkedBodyGrowingPastTheLimitIs413AndNeverReachesTheHandler() {
        open();
        String chunk = Integer.toHexString(600) + "\r\n" + "x".repeat(600) + "\r\n";
        send("PUT /upload HTTP/1.1\r\nHost: phone.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);
        settle();

        assertThat(statuses(written())).containsExactly("413");
        assertThat(handled).isEmpty();
    }

    @Test
    void headersOverTheLimitAre431AndTheConnectionIsClosed() {
        open();
        send(get("GET", "/a", "X-Padding: " + "p".repeat(ServerInitializer.MAX_HEADER_SIZE) + "\r\n"));
        settle();

        String wire = written();
        assertThat(statuses(wire)).containsExactly("431");
        assertThat(wire).contains("application/problem+json", "headers-too-large");
        assertThat(channel.isOpen()).isFalse();
        assertThat(handled).isEmpty();
    }

    @Test
    void aRequestLineOverTheLimitIs414AndTheConnectionIsClosed() {
        open();
        send(get("GET", "/" + "a".repeat(ServerInitializer.MAX_INITIAL_LINE), ""));
        settle();

        String wire = written();
        assertThat(statuses(wire)).containsExactly("414");
        assertThat(wire).contains("uri-too-long");
        assertThat(channel.isOpen()).isFalse();
        assertThat(handled).isEmpty();
    }

    @Test
    void pipelinedRequestsRunOneAtATimeAndAreAnsweredInOrder() {
        open();
        send(get("GET", "/first", "") + get("GET", "/second", "") + get("GET", "/third", ""));
        channel.runPendingTasks();

        assertThat(work).as("only the first request is handed to a worker").hasSize(1);
        assertThat(written()).isEmpty();
        work.poll().run();
        channel.runPendingTasks();
        assertThat(written()).startsWith("HTTP/1.1 200").endsWith("GET /first");
        assertThat(work).as("the answer, once written, starts the next").hasSize(1);
        settle();

        String rest = written();
        assertThat(rest.indexOf("GET /second")).isPositive().isLessThan(rest.indexOf("GET /third"));
        assertThat(handled).containsExactly("GET /first", "GET /second", "GET /third");
    }

    @Test
    void aClientPipeliningMoreThanTheLimitIsCutOff() {
        open();
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < DispatchHandler.MAX_PIPELINED + 2; i++) {
            flood.append(get("GET", "/" + i, ""));
        }
        send(flood.toString());

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aFullWorkerPoolIsAnswered503WithRetryAfterAndTheConnectionClosed() {
        open(echo, task -> {
            throw new RejectedExecutionException("full");
        });
        send(get("GET", "/a", ""));
        settle();

        String wire = written();
        assertThat(statuses(wire)).containsExactly("503");
        assertThat(wire).containsIgnoringCase("retry-after: 5");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHandlerFailureIsA500ProblemWithoutItsMessage() {
        open(request -> {
            throw new IllegalStateException("secret detail");
        }, work::add);
        send(get("GET", "/a", ""));
        settle();

        String wire = written();
        assertThat(statuses(wire)).containsExactly("500");
        assertThat(wire).contains("application/problem+json").doesNotContain("secret detail");
    }

    @Test
    void everyAnswerCarriesNosniffAndNoStore() {
        open();
        send(get("GET", "/a", ""));
        settle();

        assertThat(written()).containsIgnoringCase("x-content-type-options: nosniff")
                .containsIgnoringCase("cache-control: no-store");
    }
}
