package dialtone.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;

/** The whole pipeline of a listener, in one place: TLS, HTTP codec, request deadline, aggregation, dispatch. */
final class ServerInitializer extends ChannelInitializer<Channel> {

    static final String SSL = "ssl";
    static final String CODEC = "codec";
    static final String DEADLINE = "deadline";
    static final String AGGREGATOR = "aggregator";
    static final String DISPATCH = "dispatch";
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;

    private final TlsContext tls;
    private final ServerLimits limits;
    private final DispatchHandler dispatch;

    ServerInitializer(TlsContext tls, ServerLimits limits, DispatchHandler dispatch) {
        this.tls = tls;
        this.limits = limits;
        this.dispatch = dispatch;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler ssl = tls.get().newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(limits.handshakeTimeoutMillis());
            p.addLast(SSL, ssl);
        }
        p.addLast(CODEC, new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192));
        p.addLast(DEADLINE, new RequestDeadlineHandler(limits.requestTimeoutMillis()));
        p.addLast(AGGREGATOR, new HttpObjectAggregator(limits.maxBodyBytes()));
        p.addLast(DISPATCH, dispatch);
    }
}
