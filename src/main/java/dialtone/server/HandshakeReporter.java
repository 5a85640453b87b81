package dialtone.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLSession;

/**
 * Tells the listener's handler how each TLS handshake ended and with which protocol (for the metrics), from the
 * TLS handler's completion event; the event then goes on unchanged.
 */
@ChannelHandler.Sharable
final class HandshakeReporter extends ChannelInboundHandlerAdapter {

    private final RequestHandler handler;

    HandshakeReporter(RequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done) {
            RequestHandler.Handshake outcome = outcome(done.cause());
            // A failed handshake agreed on nothing, whatever the engine's session says (OpenSSL names its default).
            handler.tlsHandshake(outcome == RequestHandler.Handshake.OK ? protocol(ctx.pipeline().get(SslHandler.class))
                    : "unknown", outcome);
        }
        super.userEventTriggered(ctx, event);
    }

    private static RequestHandler.Handshake outcome(Throwable cause) {
        if (cause == null) {
            return RequestHandler.Handshake.OK;
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return RequestHandler.Handshake.TIMEOUT;
        }
        return cause instanceof ClosedChannelException ? RequestHandler.Handshake.CLOSED
                : RequestHandler.Handshake.FAILED;
    }

    /** The protocol a completed handshake agreed on. */
    private static String protocol(SslHandler ssl) {
        try {
            SSLSession session = ssl == null ? null : ssl.engine().getSession();
            String protocol = session == null ? null : session.getProtocol();
            return protocol == null || protocol.isEmpty() || protocol.equals("NONE") ? "unknown" : protocol;
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
