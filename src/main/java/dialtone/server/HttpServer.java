package dialtone.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One listener: binds, serves through the pipeline of {@link ServerInitializer}, and stops cleanly. */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** How long each stopping step may take before it is given up on (a stuck event loop must not hang the exit). */
    private static final long STEP_SECONDS = 3;
    private final String name;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final DispatchHandler dispatch;
    private final int port;

    private HttpServer(String name, EventLoopGroup boss, EventLoopGroup workers, Channel channel,
                       DispatchHandler dispatch) {
        this.name = name;
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.dispatch = dispatch;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @param tls the TLS context, or null for a plain-HTTP listener
     */
    public static HttpServer start(String name, String host, int port, TlsContext tls, ServerLimits limits,
                                   RequestHandler handler, WorkerPool pool, ClientAddresses clientAddresses)
            throws InterruptedException {
        EventLoopGroup boss = Transport.group(1);
        EventLoopGroup io = Transport.group(0);
        try {
            DispatchHandler dispatch = new DispatchHandler(handler, pool, clientAddresses);
            Channel channel = new ServerBootstrap()
                    .group(boss, io)
                    .channel(Transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ServerInitializer(tls, limits, dispatch))
                    .bind(host, port).sync().channel();
            HttpServer server = new HttpServer(name, boss, io, channel, dispatch);
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

    /** The bound port (still known once the listener has stopped accepting). */
    public int port() {
        return port;
    }

    /**
     * Stops accepting connections; those already open are served, each answer now closing its connection.
     * Returns at once when already done; waits at most a few seconds.
     */
    public void stopAccepting() {
        dispatch.drain();
        if (channel.isOpen() && !channel.close().awaitUninterruptibly(STEP_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("{} listener: closing the listening socket did not finish in {} s", name, STEP_SECONDS);
        }
    }

    /** Requests started and not yet answered. */
    public int inFlight() {
        return dispatch.inFlight().count();
    }

    /** Waits until every request in flight is answered or {@code deadlineNanos} passes; true when none is left. */
    public boolean awaitIdle(long deadlineNanos) {
        try {
            return dispatch.inFlight().awaitNone(deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting, then closes every connection and the event loops; every step bounded. */
    @Override
    public void close() {
        stopAccepting();
        var bossDone = boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        var workersDone = workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boolean stopped = bossDone.awaitUninterruptibly(STEP_SECONDS, TimeUnit.SECONDS)
                & workersDone.awaitUninterruptibly(STEP_SECONDS, TimeUnit.SECONDS);
        if (stopped) {
            LOG.info("{} listener stopped", name);
        } else {
            LOG.warn("{} listener: its event loops did not stop within {} s; leaving them", name, STEP_SECONDS);
        }
    }
}
