package io.rampart.server.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JSON object per log event, one per line (JSON Lines), for log shippers:
 * {@code {"timestamp":"2026-11-25T14:05:10.123Z","level":"INFO","component":"broker","logger":"io.rampart.broker.MqttBroker",
 * "thread":"main","event":"MQTT over TLS listening on ...","mdc":{...},"exception":"java.io.IOException: ...\n\tat ..."}}.
 * {@code component} is the package under {@code io.rampart} (the name SetV2LoggingLevel takes), or absent for a
 * library's logger; {@code mdc} and {@code exception} are absent when empty. Timestamps are UTC, millisecond precision.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NOTHING = new byte[0];
    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator line = json.createGenerator(out)) {
            line.writeStartObject();
            line.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            line.writeStringField("level", event.getLevel().toString());
            String component = component(event.getLoggerName());
            if (component != null) {
                line.writeStringField("component", component);
            }
            line.writeStringField("logger", event.getLoggerName());
            line.writeStringField("thread", event.getThreadName());
            line.writeStringField("event", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null && !mdc.isEmpty()) {
                line.writeObjectFieldStart("mdc");
                for (Map.Entry<String, String> entry : new TreeMap<>(mdc).entrySet()) {
                    line.writeStringField(entry.getKey(), entry.getValue());
                }
                line.writeEndObject();
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a log line could not be written to memory", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** {@code io.rampart.broker.internal.X} -> {@code broker}; null outside io.rampart. */
    static String component(String loggerName) {
        String prefix = LogbackLevels.RAMPART + ".";
        if (loggerName == null || !loggerName.startsWith(prefix)) {
            return null;
        }
        int end = loggerName.indexOf('.', prefix.length());
        return end < 0 ? loggerName.substring(prefix.length()) : loggerName.substring(prefix.length(), end);
    }
}
