package dialtone.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * The whole pipeline of a listener, in one place: connection cap, renegotiation guard, TLS (each handshake
 * reported to the handler), HTTP codec, request deadline, body gate (per-route limit and memory budget, judged
 * from the head), aggregation, chunked writing (a file answer streamed from disk, see {@link DispatchHandler}),
 * dispatch.
 */
final class ServerInitializer extends ChannelInitializer<Channel> {

    static final String LIMIT = "connection-limit";
    static final String RENEGOTIATION_GUARD = "renegotiation-guard";
    static final String SSL = "ssl";
    static final String HANDSHAKES = "handshakes";
    static final String CODEC = "codec";
    static final String DEADLINE = "deadline";
    static final String BODY_GATE = "body-gate";
    static final String AGGREGATOR = "aggregator";
    static final String CHUNKED = "chunked";
    static final String DISPATCH = "dispatch";
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;

    private final TlsContext tls;
    private final ServerLimits limits;
    private final DispatchHandler dispatch;
    private final ConnectionLimit connectionLimit;
    private final RequestHandler handler;
    private final BodyBudget budget;
    private final HandshakeReporter handshakes;

    ServerInitializer(TlsContext tls, ServerLimits limits, DispatchHandler dispatch) {
        this.tls = tls;
        this.limits = limits;
        this.handler = dispatch.handler();
        this.dispatch = dispatch;
        this.connectionLimit = new ConnectionLimit(limits.maxConnectionsPerAddress(), dispatch.clientAddresses());
        this.budget = new BodyBudget(limits.bodyMemoryBytes());
        this.handshakes = new HandshakeReporter(handler);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(LIMIT, connectionLimit);
        if (tls != null) {
            SslHandler ssl = tls.get().newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(limits.handshakeTimeoutMillis());
            p.addLast(RENEGOTIATION_GUARD, new RenegotiationGuard());
            p.addLast(SSL, ssl);
            p.addLast(HANDSHAKES, handshakes);
        }
        p.addLast(CODEC, new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192));
        p.addLast(DEADLINE, new RequestDeadlineHandler(limits.requestTimeoutMillis()));
        p.addLast(BODY_GATE, new BodyGate(handler, limits.maxBodyBytes(), budget));
        p.addLast(AGGREGATOR, new HttpObjectAggregator(limits.maxBodyBytes()));
        p.addLast(CHUNKED, new ChunkedWriteHandler());
        p.addLast(DISPATCH, dispatch);
    }
}
