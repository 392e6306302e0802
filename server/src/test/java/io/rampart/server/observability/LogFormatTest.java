package io.rampart.server.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON log lines: each parses with Jackson and carries the timestamp, level, component, event, MDC and exception. */
class LogFormatTest {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    /** A Logback context of its own, configured as logback.xml does: one pattern appender on the root. */
    private LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern("%-5level %logger{0} %msg%n");
        pattern.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("console");
        appender.setEncoder(pattern);
        appender.setOutputStream(written);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return context;
    }

    private List<JsonNode> lines() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> parsed = new java.util.ArrayList<>();
        for (String line : written.toString(StandardCharsets.UTF_8).split("\n")) {
            parsed.add(mapper.readTree(line));
        }
        return parsed;
    }

    @Test
    void jsonLinesCarryTheFieldsAndParse() throws Exception {
        LoggerContext context = context();
        LogFormat.JSON.apply(context);
        Logger broker = context.getLogger("io.rampart.broker.internal.MqttConnection");
        // This context's own MDC adapter: SLF4J's static MDC belongs to the process's context.
        context.getMDCAdapter().put("requestId", "r-1");
        broker.info("CONNECT from {} refused: \"{}\"", "10.0.0.7", "not authorized");
        context.getMDCAdapter().remove("requestId");
        context.getLogger("com.zaxxer.hikari.Pool").warn("pool\nslow", new IllegalStateException("boom"));

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(Instant.parse(first.get("timestamp").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("component").asText()).isEqualTo("broker");
        assertThat(first.get("logger").asText()).isEqualTo("io.rampart.broker.internal.MqttConnection");
        assertThat(first.get("event").asText()).isEqualTo("CONNECT from 10.0.0.7 refused: \"not authorized\"");
        assertThat(first.get("mdc").get("requestId").asText()).isEqualTo("r-1");
        assertThat(first.has("exception")).isFalse();

        JsonNode second = lines.get(1);
        assertThat(second.get("level").asText()).isEqualTo("WARN");
        assertThat(second.has("component")).isFalse();
        assertThat(second.get("event").asText()).isEqualTo("pool\nslow");
        assertThat(second.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom").contains("\tat ");
        assertThat(second.has("mdc")).isFalse();
    }

    @Test
    void textLeavesTheConfiguredPatternAlone() {
        LoggerContext context = context();
        LogFormat.TEXT.apply(context);
        context.getLogger("io.rampart.api.Dispatcher").info("hello");
        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("INFO  Dispatcher hello\n");
    }

    @Test
    void anUnknownFormatIsRefusedNamingTheChoices() {
        assertThat(LogFormat.parse(" Json ")).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> LogFormat.parse("xml")).hasMessage("log format must be text or json, got 'xml'");
    }
}
