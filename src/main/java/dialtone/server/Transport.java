package dialtone.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the listeners' sockets are driven: Linux's epoll where its native library loads (bundled for
 * linux-x86_64: fewer system calls and less garbage per connection than the JDK's selector), else the JDK's NIO.
 * Chosen once per process and logged.
 */
final class Transport {

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final boolean EPOLL = choose();
    /** Whether each event loop listens on a socket of its own ({@code SO_REUSEPORT}, see {@link HttpServer}). */
    static final boolean REUSE_PORT = EPOLL;

    private Transport() {
    }

    private static boolean choose() {
        if (Epoll.isAvailable()) {
            LOG.info("network transport: epoll");
            return true;
        }
        LOG.info("network transport: NIO (epoll not available here: {})", String.valueOf(Epoll.unavailabilityCause()));
        return false;
    }

    static EventLoopGroup group(int threads) {
        IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    static ChannelOption<Boolean> reusePort() {
        return EpollChannelOption.SO_REUSEPORT;
    }

    static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
