package dialtone.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Decides from a request's head, before any of its body is buffered, how large the body may be: the
 * handler names the limit of the route ({@link RequestHandler#maxBodyBytes}). A body declared larger is
 * refused at once with 413, one that grows larger while it arrives (chunked) is cut with 413, and every body
 * reserves its size in the listener's {@link BodyBudget} until its response has been written: past the
 * budget, 503 with Retry-After. So slow uploaders cannot make the server hold more than the budget.
 * A refusal closes the connection (the rest of the body is never buffered).
 */
final class BodyGate extends ChannelDuplexHandler {

    private static final long LINGER_MILLIS = 2000;
    private static final long DISCARD_LIMIT = 1024 * 1024;
    private final RequestHandler handler;
    private final long listenerMax;
    private final BodyBudget budget;
    /** Bytes reserved per request read on this connection and not yet answered, oldest first. */
    private final ArrayDeque<Long> reserved = new ArrayDeque<>();
    private long limit;
    private long received;
    private boolean refused;
    private long discarded;

    BodyGate(RequestHandler handler, long listenerMax, BodyBudget budget) {
        this.handler = handler;
        this.listenerMax = listenerMax;
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            // A client that keeps sending after the answer is cut off once it has sent a little more.
            if (msg instanceof HttpContent content && (discarded += content.content().readableBytes()) > DISCARD_LIMIT) {
                ctx.close();
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && !admit(ctx, request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpContent content) {
            received += content.content().readableBytes();
            if (received > limit) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, Responses.problem(413, "too-large", "Content Too Large",
                        "the request body exceeds " + limit + " bytes"));
                return;
            }
        }
        super.channelRead(ctx, msg);
    }

    /** Judges the head; false (having answered) when the request is refused. */
    private boolean admit(ChannelHandlerContext ctx, HttpRequest request) {
        received = 0;
        if (request.decoderResult().isFailure()) {
            limit = 0;
            reserved.add(0L);
            return true;
        }
        limit = Math.min(listenerMax, Math.max(0, handler.maxBodyBytes(request.method().name(), Request.pathOf(request.uri()))));
        long declared;
        try {
            declared = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            refuse(ctx, Responses.problem(400, "bad-request", "Bad Request", "the Content-Length is not a number"));
            return false;
        }
        if (declared > limit) {
            refuse(ctx, Responses.problem(413, "too-large", "Content Too Large",
                    "the request body exceeds " + limit + " bytes"));
            return false;
        }
        long expected = declared >= 0 ? declared : HttpUtil.isTransferEncodingChunked(request) ? limit : 0;
        if (expected > 0 && !budget.tryReserve(expected)) {
            refuse(ctx, Responses.problem(503, "busy", "Busy", "too many request bodies are arriving; retry shortly")
                    .withHeader("Retry-After", 5));
            return false;
        }
        reserved.add(expected);
        return true;
    }

    /**
     * Answers and closes a little later: closing at once with unread bytes would reset the connection, and a
     * client still sending could lose the answer. Meanwhile nothing more is read, so a client that keeps
     * sending is held back by TCP flow control instead of streaming into the void at full speed.
     */
    private void refuse(ChannelHandlerContext ctx, Response response) {
        refused = true;
        ctx.channel().config().setAutoRead(false);
        DispatchHandler.send(ctx, response.withHeader("Connection", "close"), true, false)
                .addListener(written -> ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !interim) {
            Long bytes = reserved.poll();
            if (bytes != null) {
                budget.release(bytes);
            }
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (Long bytes; (bytes = reserved.poll()) != null; ) {
            budget.release(bytes);
        }
        super.channelInactive(ctx);
    }
}
