package io.rampart.server.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.ILoggerFactory;

/**
 * How the node writes its log lines: {@link #TEXT} (the configuration file's pattern, for people) or {@link #JSON}
 * (one JSON object per line, see {@link JsonLogEncoder}, for log shippers). Chosen with {@code --log-format} or
 * {@code RAMPART_LOG_FORMAT}.
 */
public enum LogFormat {
    TEXT, JSON;

    /** The environment variable that chooses the format when {@code --log-format} is not given. */
    public static final String ENVIRONMENT_VARIABLE = "RAMPART_LOG_FORMAT";

    /** {@code text} or {@code json}, any case; anything else is refused naming the choices. */
    public static LogFormat parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log format must be text or json, got '" + value + "'", e);
        }
    }

    /**
     * Makes every stream appender of the root logger (the console appender of logback.xml) write in this format. TEXT
     * leaves the configuration as it is. Does nothing when SLF4J is bound to another backend. Call it at start-up,
     * before other threads log.
     */
    public void apply(ILoggerFactory loggers) {
        if (this == TEXT || !(loggers instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
            if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
                JsonLogEncoder encoder = new JsonLogEncoder();
                encoder.setContext(context);
                encoder.start();
                // Swapped in place: stopping would close the stream (stderr). Called once at start-up, before the
                // node's threads log, so no event sees half of the change.
                stream.setEncoder(encoder);
            }
        }
    }
}
