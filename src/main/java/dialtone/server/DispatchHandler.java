package dialtone.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each complete request off the event loop onto the bounded worker pool and writes the
 * handler's response back. The event loop itself only parses, routes and writes.
 */
@io.netty.channel.ChannelHandler.Sharable
final class DispatchHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchHandler.class);
    private final RequestHandler handler;
    private final WorkerPool workers;
    private final ClientAddresses clientAddresses;

    DispatchHandler(RequestHandler handler, WorkerPool workers, ClientAddresses clientAddresses) {
        this.handler = handler;
        this.workers = workers;
        this.clientAddresses = clientAddresses;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (msg.decoderResult().isFailure()) {
            sendDecodeFailure(ctx, msg.decoderResult().cause());
            return;
        }
        String uri = msg.uri();
        int q = uri.indexOf('?');
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        Request request = new Request(msg.method().name(), uri, q < 0 ? uri : uri.substring(0, q),
                Request.parseQuery(uri), msg.headers().copy(), ByteBufUtil.getBytes(msg.content()),
                clientAddresses.resolve(peer.getAddress(), msg.headers()), ssl != null, peerCertificates(ssl));
        try {
            workers.execute(() -> {
                Response response;
                try {
                    response = handler.handle(request);
                } catch (ProblemException problem) {
                    response = Responses.problem(problem);
                } catch (Throwable e) {
                    LOG.error("request {} {} failed", request.method(), request.rawPath(), e);
                    response = Responses.problem(500, "internal", "Internal error", "the request could not be completed");
                }
                Response answer = response;
                boolean head = request.method().equals("HEAD");
                if (answer.delayMillis() > 0) {
                    ctx.executor().schedule(() -> send(ctx, answer, keepAlive, head), answer.delayMillis(),
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                } else {
                    send(ctx, answer, keepAlive, head);
                }
            });
        } catch (RejectedExecutionException full) {
            send(ctx, Responses.problem(503, "busy", "Busy", "the server is busy; retry shortly")
                    .withHeader("Retry-After", 5), false, false);
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

    static void send(ChannelHandlerContext ctx, Response response, boolean keepAlive, boolean head) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        out.headers().set(response.headers());
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        out.headers().set("X-Content-Type-Options", "nosniff");
        if (!out.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(out);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
