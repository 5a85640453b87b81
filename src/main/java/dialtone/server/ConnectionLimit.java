package dialtone.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one source holds open at once (an IPv6 source is its /64); the excess is closed
 * before its TLS handshake. Trusted proxies carry many clients and are not capped. The first handler of
 * every pipeline; the table holds only sources with open connections.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final AttributeKey<String> SOURCE = AttributeKey.valueOf("dialtone.source");
    private final int maxPerSource;
    private final ClientAddresses clientAddresses;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    ConnectionLimit(int maxPerSource, ClientAddresses clientAddresses) {
        this.maxPerSource = maxPerSource;
        this.clientAddresses = clientAddresses;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        if (peer != null && !clientAddresses.isTrustedProxy(peer)) {
            String source = source(peer);
            int count = open.computeIfAbsent(source, s -> new AtomicInteger()).incrementAndGet();
            ctx.channel().attr(SOURCE).set(source);
            if (count > maxPerSource) {
                LOG.debug("connection from {} closed: {} connections open from that source", peer, count - 1);
                ctx.close();
                return;
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String source = ctx.channel().attr(SOURCE).getAndSet(null);
        if (source != null) {
            open.computeIfPresent(source, (s, count) -> count.decrementAndGet() == 0 ? null : count);
        }
        super.channelInactive(ctx);
    }

    private static String source(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet6Address ? Arrays.toString(Arrays.copyOf(bytes, 8)) : address.getHostAddress();
    }
}
