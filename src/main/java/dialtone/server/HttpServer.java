package dialtone.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener: binds, serves through the pipeline of {@link ServerInitializer}, and stops cleanly. On epoll each
 * event loop has a listening socket of its own on the port ({@code SO_REUSEPORT}): the kernel spreads new
 * connections over them and each is served on the loop that accepted it, with no accepting thread handing it
 * over. Elsewhere one accepting thread hands each connection to an event loop.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** How long each stopping step may take before it is given up on (a stuck event loop must not hang the exit). */
    private static final long STEP_SECONDS = 3;
    private static final int BACKLOG = 1024;
    private final String name;
    private final List<EventLoopGroup> groups;
    private final List<Channel> listening;
    private final DispatchHandler dispatch;
    private final int port;

    private HttpServer(String name, List<EventLoopGroup> groups, List<Channel> listening, DispatchHandler dispatch) {
        this.name = name;
        this.groups = groups;
        this.listening = listening;
        this.dispatch = dispatch;
        this.port = ((InetSocketAddress) listening.get(0).localAddress()).getPort();
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @param tls the TLS context, or null for a plain-HTTP listener
     */
    public static HttpServer start(String name, String host, int port, TlsContext tls, ServerLimits limits,
                                   RequestHandler handler, WorkerPool pool, ClientAddresses clientAddresses)
            throws InterruptedException {
        EventLoopGroup io = Transport.group(0);
        List<EventLoopGroup> groups = new ArrayList<>(List.of(io));
        List<Channel> listening = new ArrayList<>();
        try {
            DispatchHandler dispatch = new DispatchHandler(handler, pool, clientAddresses);
            ServerInitializer initializer = new ServerInitializer(tls, limits, dispatch);
            if (Transport.REUSE_PORT) {
                int bound = port;
                if (port != 0) {
                    requireUnused(host, port);
                }
                for (EventExecutor loop : io) {
                    // The loop is a group of one: what it accepts stays on it.
                    Channel channel = bootstrap((EventLoop) loop, (EventLoop) loop, initializer)
                            .option(Transport.reusePort(), true).bind(host, bound).sync().channel();
                    listening.add(channel);
                    bound = ((InetSocketAddress) channel.localAddress()).getPort();
                }
            } else {
                EventLoopGroup boss = Transport.group(1);
                groups.add(boss);
                listening.add(bootstrap(boss, io, initializer).bind(host, port).sync().channel());
            }
            HttpServer server = new HttpServer(name, groups, listening, dispatch);
            LOG.info("{} listener on {}://{}:{} ({})", name, tls == null ? "http" : "https", host, server.port(),
                    listening.size() > 1 ? listening.size() + " listening sockets, one per event loop" : "one listening socket");
            return server;
        } catch (InterruptedException | RuntimeException e) {
            for (EventLoopGroup group : groups) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw e;
        }
    }

    private static ServerBootstrap bootstrap(EventLoopGroup accepting, EventLoopGroup serving,
                                             ServerInitializer initializer) {
        return new ServerBootstrap()
                .group(accepting, serving)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer);
    }

    /**
     * Fails when something already listens on the port. Sockets that share a port all set {@code SO_REUSEPORT},
     * so a second instance of this server started on the same port by mistake would otherwise share it
     * silently, each answering part of the phones; a socket bound without it is refused while they listen, and
     * their sockets are refused while it does.
     */
    private static void requireUnused(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listening.get(0).localAddress();
    }

    /** Whether the listener is bound and accepting connections. */
    public boolean isOpen() {
        return listening.stream().anyMatch(Channel::isActive);
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
        for (Channel channel : listening) {
            if (channel.isOpen() && !channel.close().awaitUninterruptibly(STEP_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} listener: closing a listening socket did not finish in {} s", name, STEP_SECONDS);
            }
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
        List<Future<?>> done = groups.stream().<Future<?>>map(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS)).toList();
        boolean stopped = true;
        for (Future<?> group : done) {
            stopped &= group.awaitUninterruptibly(STEP_SECONDS, TimeUnit.SECONDS);
        }
        if (stopped) {
            LOG.info("{} listener stopped", name);
        } else {
            LOG.warn("{} listener: its event loops did not stop within {} s; leaving them", name, STEP_SECONDS);
        }
    }
}
