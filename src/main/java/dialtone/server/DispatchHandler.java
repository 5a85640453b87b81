package dialtone.server;

import dialtone.core.Problem;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.internal.EmptyArrays;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each complete request off the event loop onto the bounded worker pool and writes the
 * handler's response back. The event loop itself only parses, routes and writes. A connection has one
 * request in work at a time: pipelined requests wait (a few at most), so answers keep their order, a
 * throttled answer's delay holds the connection back, and one client cannot queue unbounded work.
 */
@io.netty.channel.ChannelHandler.Sharable
final class DispatchHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchHandler.class);
    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("dialtone.connection");
    /** Phones never pipeline; a client that queues more than this on one connection is cut off. */
    static final int MAX_PIPELINED = 4;
    /** A file is streamed in chunks of this size (a few TLS records each). */
    static final int FILE_CHUNK_BYTES = 64 * 1024;
    private final RequestHandler handler;
    private final Executor workers;
    private final ClientAddresses clientAddresses;
    private final InFlight inFlight = new InFlight();
    private volatile boolean draining;

    /** @param workers where handlers run (the listener's {@link WorkerPool}); refusing a task means busy */
    DispatchHandler(RequestHandler handler, Executor workers, ClientAddresses clientAddresses) {
        this.handler = handler;
        this.workers = workers;
        this.clientAddresses = clientAddresses;
    }

    RequestHandler handler() {
        return handler;
    }

    ClientAddresses clientAddresses() {
        return clientAddresses;
    }

    InFlight inFlight() {
        return inFlight;
    }

    /** From now on every answer closes its connection: clients reconnect to an instance that is not stopping. */
    void drain() {
        draining = true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (msg.decoderResult().isFailure()) {
            sendDecodeFailure(ctx, msg.decoderResult().cause());
            return;
        }
        if (msg.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            // Two Host headers: front ends and back ends may each believe another one (RFC 9112 3.2: 400).
            send(ctx, Responses.problem(400, "bad-request", "Bad Request", "the request has more than one Host header"),
                    false, false);
            return;
        }
        String uri = msg.uri();
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        Connection connection = connection(ctx);
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        // The headers are the decoder's own for this request alone (only the body is released after this read):
        // kept as they are, not copied. A phone's GET has no body to copy either.
        Request request = new Request(msg.method().name(), uri, Request.pathOf(uri),
                Request.parseQuery(uri), msg.headers(), body(msg.content()),
                clientAddresses.resolve(peer.getAddress(), msg.headers()), connection.secure,
                connection.peerCertificates);
        if (connection.busy) {
            // Pipelined: answered strictly in order, one at a time, and only a few may wait.
            if (connection.waiting.size() >= MAX_PIPELINED) {
                ctx.close();
            } else {
                connection.waiting.add(new Pending(request, keepAlive));
            }
            return;
        }
        start(ctx, connection, new Pending(request, keepAlive));
    }

    private static byte[] body(ByteBuf content) {
        return content.isReadable() ? ByteBufUtil.getBytes(content) : EmptyArrays.EMPTY_BYTES;
    }

    /** A request read but not yet answered. */
    private record Pending(Request request, boolean keepAlive) {}

    /**
     * Per connection: whether a request is being handled, the pipelined ones waiting their turn, and what the
     * TLS handshake established (read once: it does not change on the connection).
     */
    private static final class Connection {
        boolean busy;
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        final boolean secure;
        final List<X509Certificate> peerCertificates;

        Connection(SslHandler ssl) {
            secure = ssl != null;
            peerCertificates = peerCertificates(ssl);
        }
    }

    private static Connection connection(ChannelHandlerContext ctx) {
        Attribute<Connection> attribute = ctx.channel().attr(CONNECTION);
        Connection connection = attribute.get();
        if (connection == null) {
            connection = new Connection(ctx.pipeline().get(SslHandler.class));
            attribute.set(connection);
        }
        return connection;
    }

    /**
     * Runs on the event loop: answers at once what needs no blocking work, else hands the request to a
     * worker; the answer, once written, starts the connection's next request.
     */
    private void start(ChannelHandlerContext ctx, Connection connection, Pending pending) {
        connection.busy = true;
        inFlight.begin();
        Request request = pending.request();
        Response atOnce = answerAtOnce(request);
        if (atOnce != null) {
            answer(ctx, connection, pending, atOnce);
            return;
        }
        try {
            workers.execute(() -> {
                Response response;
                try {
                    response = handler.handle(request);
                } catch (Throwable e) {
                    response = failure(request, e);
                }
                if (response.later() != null) {
                    response.later().whenComplete((done, e) -> answer(ctx, connection, pending,
                            e == null ? done : failure(request, e)));
                } else {
                    answer(ctx, connection, pending, response);
                }
            });
        } catch (RejectedExecutionException full) {
            send(ctx, Responses.problem(503, "busy", "Busy", "the server is busy; retry shortly")
                    .withHeader("Retry-After", 5), false, false).addListener(written -> inFlight.end());
        }
    }

    /** Writes the answer (after its delay: a throttled answer holds back this connection's next request too). */
    private void answer(ChannelHandlerContext ctx, Connection connection, Pending pending, Response answer) {
        boolean head = pending.request().method().equals("HEAD");
        Runnable write = () -> send(ctx, answer, pending.keepAlive() && !draining, head).addListener(written -> {
            inFlight.end();
            next(ctx, connection);
        });
        if (answer.delayMillis() > 0) {
            ctx.executor().schedule(write, answer.delayMillis(), TimeUnit.MILLISECONDS);
        } else if (ctx.executor().inEventLoop()) {
            write.run();
        } else {
            ctx.executor().execute(write);
        }
    }

    private static Response failure(Request request, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof Problem problem) {
            return Responses.problem(problem);
        }
        LOG.error("request {} {} failed", request.method(), request.rawPath(), cause);
        return Responses.problem(500, "internal", "Internal error", "the request could not be completed");
    }

    private Response answerAtOnce(Request request) {
        try {
            Response response = handler.answerAtOnce(request);
            return response == null || response.delayMillis() > 0 ? null : response;
        } catch (RuntimeException e) {
            // Whatever went wrong is for the worker to find again and answer properly.
            return null;
        }
    }

    private void next(ChannelHandlerContext ctx, Connection connection) {
        connection.busy = false;
        Pending pending = connection.waiting.poll();
        if (pending != null && ctx.channel().isActive()) {
            start(ctx, connection, pending);
        }
    }

    private static List<X509Certificate> peerCertificates(SslHandler ssl) {
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    private static void sendDecodeFailure(ChannelHandlerContext ctx, Throwable cause) {
        Response response;
        if (cause instanceof TooLongHttpLineException) {
            response = Responses.problem(414, "uri-too-long", "URI Too Long", "the request line exceeds the limit");
        } else if (cause instanceof TooLongHttpHeaderException) {
            response = Responses.problem(431, "headers-too-large", "Request Header Fields Too Large",
                    "the request headers exceed the limit");
        } else if (cause instanceof TooLongFrameException) {
            response = Responses.problem(413, "too-large", "Content Too Large", "the request is too large");
        } else {
            response = Responses.problem(400, "bad-request", "Bad Request", "the request could not be parsed");
        }
        send(ctx, response, false, false);
    }

    static ChannelFuture send(ChannelHandlerContext ctx, Response response, boolean keepAlive, boolean head) {
        if (response.file() != null && !head) {
            return sendFile(ctx, response, keepAlive);
        }
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        head(out, response, keepAlive);
        if (!keepAlive) {
            return ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
        return ctx.writeAndFlush(out);
    }

    private static void head(HttpResponse out, Response response, boolean keepAlive) {
        out.headers().set(response.headers());
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.contentLength());
        out.headers().set("X-Content-Type-Options", "nosniff");
        if (!out.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
    }

    /**
     * Streams a file's slice in chunks through the pipeline's {@link ChunkedWriteHandler} (over TLS too): only
     * a chunk or two per connection is ever in memory. The file is opened here, on the event loop, while the
     * connection is known to be open, and closed when the slice is written or the writing fails (a connection
     * that closes mid-transfer fails it, and so does a file that shrinks meanwhile: the connection is then
     * closed, the answer cut short). A file that can no longer be read as described is answered 500.
     */
    private static ChannelFuture sendFile(ChannelHandlerContext ctx, Response response, boolean keepAlive) {
        FileSlice slice = response.file();
        if (!ctx.channel().isActive()) {
            return ctx.newFailedFuture(new java.nio.channels.ClosedChannelException());
        }
        FileChunks chunks;
        try {
            chunks = FileChunks.open(slice, FILE_CHUNK_BYTES);
        } catch (IOException e) {
            LOG.warn("file {} could not be served: {}", slice.path(), e.toString());
            return send(ctx, Responses.problem(500, "internal", "Internal error", "the file could not be read"),
                    false, false);
        }
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        head(out, response, keepAlive);
        ctx.write(out);
        ChannelFuture written = ctx.writeAndFlush(new HttpChunkedInput(chunks));
        written.addListener(done -> {
            if (!done.isSuccess()) {
                // Whatever failed (the peer left, the disk), the answer is cut short: the file and the connection go.
                closeQuietly(chunks);
                ctx.close();
            }
        });
        return keepAlive ? written : written.addListener(ChannelFutureListener.CLOSE);
    }

    private static void closeQuietly(FileChunks chunks) {
        try {
            chunks.close();
        } catch (Exception ignored) {
            // already closed by the chunked writer
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
