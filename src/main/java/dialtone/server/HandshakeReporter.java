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
            handler.tlsHandshake(protocol(ctx.pipeline().get(SslHandler.class)), outcome(done.cause()));
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

    /** The protocol the handshake agreed on; "unknown" when it failed before agreeing on one. */
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
