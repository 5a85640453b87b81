package dialtone.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose client starts a second TLS handshake (TLS 1.2 renegotiation): it buys an attacker
 * server CPU at little cost of its own, and no phone needs it. The JDK engine accepts it and has no per-engine
 * switch, so the guard reads the TLS record headers before the TLS handler: after the client's
 * ChangeCipherSpec only one more handshake record may come (its Finished, or the second ClientHello after a
 * TLS 1.3 HelloRetryRequest); TLS 1.3 sends everything else as application data. Bytes pass on unchanged.
 */
final class RenegotiationGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RenegotiationGuard.class);
    private static final int HEADER = 5;
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;
    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private int bodyLeft;
    private boolean changedCipherSpec;
    private int handshakeRecordsSince;
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes && renegotiates(bytes)) {
            refused = true;
            ReferenceCountUtil.release(msg);
            LOG.info("tls-renegotiation-refused ip={}", ctx.channel().remoteAddress() instanceof InetSocketAddress a
                    ? a.getAddress().getHostAddress() : "-");
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Walks the record headers in these bytes (records may span reads); true once a renegotiation starts. */
    private boolean renegotiates(ByteBuf bytes) {
        int at = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (at < end) {
            if (bodyLeft > 0) {
                int skip = Math.min(bodyLeft, end - at);
                at += skip;
                bodyLeft -= skip;
                continue;
            }
            header[headerFill++] = bytes.getByte(at++);
            if (headerFill < HEADER) {
                continue;
            }
            headerFill = 0;
            bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            int type = header[0] & 0xff;
            if (type == CHANGE_CIPHER_SPEC) {
                changedCipherSpec = true;
            } else if (type == HANDSHAKE && changedCipherSpec && ++handshakeRecordsSince > 1) {
                return true;
            }
        }
        return false;
    }
}
