package io.kaflowsql.node.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped logback.xml in a real JVM: LOG_FORMAT picks human or JSON lines, LOG_LEVEL the level. */
class LogFormatTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonFormatWritesOneParsableObjectPerLine()
            throws Exception
    {
        List<String> lines = runSample(Map.of("LOG_FORMAT", "json"));

        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).extracting(event -> event.get("level").asText()).containsExactly("INFO", "WARN");
        assertThat(events.get(0).get("message").asText()).isEqualTo("info line with \"quotes\" and ünïcode");
        assertThat(events.get(0).get("loggerName").asText()).isEqualTo(LogSample.class.getName());
        assertThat(events.get(0).get("threadName").asText()).isEqualTo("main");
        assertThat(events.get(0).has("timestamp")).isTrue();
        assertThat(events.get(1).get("throwable").toString()).contains("IllegalStateException").contains("boom");
    }

    @Test
    void humanFormatIsTheDefaultAndLogLevelApplies()
            throws Exception
    {
        List<String> lines = runSample(Map.of("LOG_LEVEL", "debug"));

        assertThat(lines).anySatisfy(line -> assertThat(line).contains("DEBUG").contains("LogSample - debug line"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("INFO ").contains("LogSample - info line"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("java.lang.IllegalStateException: boom"));
        assertThat(lines.get(0)).doesNotStartWith("{");
    }

    private static List<String> runSample(Map<String, String> env)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LogSample.class.getName());
        builder.environment().remove("LOG_FORMAT");
        builder.environment().remove("LOG_LEVEL");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> !line.isBlank()).toList();
    }
}
