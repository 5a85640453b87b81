package dialtone.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not delivered a whole request within the deadline, counted from the
 * connection's start or the previous response. Defeats clients that trickle one byte at a time. An answer
 * streamed in parts (a file) is held to the same deadline between parts: a client that stops reading is cut
 * off, and the file it was sent is closed, instead of holding both for ever.
 *
 * <p>One timer per connection, not one per request: starting and stopping the clock only note the time, and
 * the timer, when it fires, closes the connection or sets itself again for what is left of the deadline. A
 * kept-alive connection answering thousands of requests a second sets a timer about once per deadline.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {

    private final long deadlineNanos;
    private final ChannelFutureListener startOnWritten = written -> start();
    private ChannelHandlerContext ctx;
    /** When the clock was last started ({@link System#nanoTime}); meaningful while {@code running}. */
    private long startedAt;
    private boolean running;
    private ScheduledFuture<?> timer;

    RequestDeadlineHandler(long deadlineMillis) {
        this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        start();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof LastHttpContent) {
            running = false;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener(startOnWritten);
        } else if (msg instanceof HttpContent || msg instanceof HttpResponse) {
            // The chunked writer writes a part only while the outgoing buffer has room: a write is progress.
            start();
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        running = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        super.channelInactive(ctx);
    }

    private void start() {
        if (!ctx.channel().isActive()) {
            return;
        }
        startedAt = System.nanoTime();
        running = true;
        if (timer == null) {
            schedule(deadlineNanos);
        }
    }

    private void schedule(long delayNanos) {
        timer = ctx.executor().schedule(this::expired, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The timer fired: the connection goes if its clock ran out, else the timer waits for what is left. */
    private void expired() {
        timer = null;
        if (!running || !ctx.channel().isActive()) {
            return;
        }
        long left = deadlineNanos - (System.nanoTime() - startedAt);
        if (left <= 0) {
            ctx.close();
        } else {
            schedule(left);
        }
    }
}
