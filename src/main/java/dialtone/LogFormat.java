package dialtone;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code logging.format}: the console lines of {@code logback.xml} as they are ({@code text}), or one JSON object
 * per line through Logback's own {@link JsonEncoder} ({@code json}): timestamp, level, thread, logger, the
 * formatted message, key-value pairs (the phone access line's fields), MDC and any exception.
 */
final class LogFormat {

    private LogFormat() {}

    /** Switches every console appender to JSON; does nothing when logging is not Logback's. */
    static void useJson() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        for (OutputStreamAppender<ILoggingEvent> appender : outputs(context.getLogger(Logger.ROOT_LOGGER_NAME))) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // The message template and its raw arguments repeat the formatted message; the context is noise.
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithFormattedMessage(true);
            json.start();
            appender.stop();
            appender.setEncoder(json);
            appender.start();
        }
    }

    /** The appenders that write bytes, found through the asynchronous ones that hand lines on. */
    private static List<OutputStreamAppender<ILoggingEvent>> outputs(AppenderAttachable<ILoggingEvent> attached) {
        List<OutputStreamAppender<ILoggingEvent>> found = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = attached.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof OutputStreamAppender<ILoggingEvent> output) {
                found.add(output);
            } else if (appender instanceof AppenderAttachable<?> parent) {
                @SuppressWarnings("unchecked")
                AppenderAttachable<ILoggingEvent> events = (AppenderAttachable<ILoggingEvent>) parent;
                found.addAll(outputs(events));
            }
        }
        return found;
    }
}
