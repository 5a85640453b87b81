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

    /** A file of {@code size} bytes, each byte a function of its offset, so any slice is known. */
    private static java.nio.file.Path fileOf(int size) throws java.io.IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("pipeline", ".bin");
        java.nio.file.Files.write(file, bytes);
        file.toFile().deleteOnExit();
        return file;
    }

    /** Answers every request with a slice of the file ({@code length} -1: the whole file). */
    private RequestHandler serving(java.nio.file.Path file, long offset, long length) {
        return request -> {
            handled.add(request.method() + " " + request.rawPath());
            long size = java.nio.file.Files.size(file);
            return Response.file(length < 0 ? 200 : 206, "application/octet-stream",
                    new FileSlice(file, offset, length < 0 ? size : length));
        };
    }

    /** The raw outbound messages, each written to the wire separately, as bytes. */
    private List<byte[]> writtenParts() {
        List<byte[]> parts = new ArrayList<>();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) message;
            parts.add(io.netty.buffer.ByteBufUtil.getBytes(bytes));
            bytes.release();
        }
        return parts;
    }

    private static byte[] bodyOf(List<byte[]> parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        byte[] wire = all.toByteArray();
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n") + 4;
        return java.util.Arrays.copyOfRange(wire, start, wire.length);
    }

    @Test
    void aFileAnswerIsStreamedInChunksWithItsLengthAndItsExactBytes() throws Exception {
        java.nio.file.Path file = fileOf(5 * DispatchHandler.FILE_CHUNK_BYTES + 123);
        open(serving(file, 0, -1), work::add);
        send(get("GET", "/firmware.bin", ""));
        settle();

        List<byte[]> parts = writtenParts();
        String head = new String(parts.get(0), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.1 200").contains("content-length: " + java.nio.file.Files.size(file))
                .containsIgnoringCase("x-content-type-options: nosniff");
        assertThat(parts).as("the body leaves in chunks, never as one buffer").hasSizeGreaterThan(5);
        assertThat(parts.stream().mapToInt(p -> p.length).max().orElseThrow())
                .isLessThanOrEqualTo(DispatchHandler.FILE_CHUNK_BYTES);
        assertThat(bodyOf(parts)).isEqualTo(java.nio.file.Files.readAllBytes(file));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aFileSliceCarriesExactlyItsBytes() throws Exception {
        java.nio.file.Path file = fileOf(3 * DispatchHandler.FILE_CHUNK_BYTES);
        open(serving(file, 70_000, 100_001), work::add);
        send(get("GET", "/firmware.bin", ""));
        settle();

        List<byte[]> parts = writtenParts();
        assertThat(new String(parts.get(0), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 206")
                .contains("content-length: 100001");
        assertThat(bodyOf(parts)).isEqualTo(java.util.Arrays.copyOfRange(java.nio.file.Files.readAllBytes(file),
                70_000, 170_001));
    }

    @Test
    void headOfAFileAnswerHasItsLengthButNoBody() throws Exception {
        java.nio.file.Path file = fileOf(200_000);
        open(serving(file, 0, -1), work::add);
        send(get("HEAD", "/firmware.bin", ""));
        settle();

        String wire = written();
        assertThat(wire).startsWith("HTTP/1.1 200").contains("content-length: 200000").endsWith("\r\n\r\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void fileAnswersKeepTheConnectionAliveAndAnswerPipelinedRequestsInOrder() throws Exception {
        java.nio.file.Path file = fileOf(2 * DispatchHandler.FILE_CHUNK_BYTES + 7);
        open(serving(file, 0, -1), work::add);
        send(get("GET", "/one", "") + get("GET", "/two", ""));
        settle();
        send(get("GET", "/three", "Connection: close\r\n"));
        settle();

        String wire = written();
        assertThat(statuses(wire)).containsExactly("200", "200", "200");
        assertThat(handled).containsExactly("GET /one", "GET /two", "GET /three");
        assertThat(wire.length()).isGreaterThan(3 * (int) java.nio.file.Files.size(file));
        assertThat(channel.isOpen()).as("closed after the answer that was asked to close").isFalse();
    }

    @Test
    void aRequestBodyAnsweredWithAFileGivesItsBudgetBack() throws Exception {
        java.nio.file.Path file = fileOf(DispatchHandler.FILE_CHUNK_BYTES + 1);
        RequestHandler handler = serving(file, 0, -1);
        DispatchHandler dispatch = new DispatchHandler(handler, work::add, new ClientAddresses(List.of()));
        // The budget holds exactly one body of the largest size.
        channel = new FromPeer(new ServerInitializer(null, new ServerLimits(5_000, 5_000, MAX_BODY, MAX_BODY, 10), dispatch));
        String put = "PUT /upload HTTP/1.1\r\nHost: phone.test\r\nContent-Length: " + MAX_BODY + "\r\n\r\n"
                + "x".repeat(MAX_BODY);
        for (int i = 0; i < 3; i++) {
            send(put);
            settle();
        }

        assertThat(statuses(written())).containsExactly("200", "200", "200");
    }

    @Test
    void aFileThatVanishedBeforeItsAnswerIsA500AndTheConnectionCloses() throws Exception {
        java.nio.file.Path file = fileOf(1000);
        RequestHandler looksThenLoses = request -> {
            Response answer = serving(file, 0, -1).handle(request);
            // The file goes between the handler's look and the listener's write.
            java.nio.file.Files.delete(file);
            return answer;
        };
        open(looksThenLoses, work::add);
        send(get("GET", "/firmware.bin", ""));
        settle();

        assertThat(handled).containsExactly("GET /firmware.bin");
        String wire = written();
        assertThat(statuses(wire)).containsExactly("500");
        assertThat(wire).contains("application/problem+json").doesNotContain(file.toString());
        assertThat(channel.isOpen()).isFalse();
    }
}
