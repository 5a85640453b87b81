package dialtone.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One listener: binds, serves through the pipeline of {@link ServerInitializer}, and stops cleanly. */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private final String name;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private HttpServer(String name, EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
        this.name = name;
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @param tls the TLS context, or null for a plain-HTTP listener
     */
    public static HttpServer start(String name, String host, int port, TlsContext tls, ServerLimits limits,
                                   RequestHandler handler, WorkerPool pool, ClientAddresses clientAddresses)
            throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            DispatchHandler dispatch = new DispatchHandler(handler, pool, clientAddresses);
            Channel channel = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ServerInitializer(tls, limits, dispatch))
                    .bind(host, port).sync().channel();
            HttpServer server = new HttpServer(name, boss, io, channel);
            LOG.info("{} listener on {}://{}:{}", name, tls == null ? "http" : "https", host, server.port());
            return server;
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Whether the listener is bound and accepting connections. */
    public boolean isOpen() {
        return channel.isActive();
    }

    public int port() {
        return address().getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("{} listener stopped", name);
    }
}
