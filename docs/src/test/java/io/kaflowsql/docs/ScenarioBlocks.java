package io.kaflowsql.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code yaml scenario} blocks: records fed through the pipeline above the block on the engine's test driver (one
 * task, its RocksDB store, time only from the records). Each step is {@code in: [topic, key, time, value]} with the
 * time as an offset from a fixed instant; {@code out} lists what that record emits (only the columns given are
 * compared; no {@code out} means nothing), {@code rejected} the dead-letter reason of the record.
 */
final class ScenarioBlocks
{
    private static final Instant START = Instant.parse("2025-07-05T14:00:00Z");

    private ScenarioBlocks() {}

    static void check(CodeBlock block, Path scratch)
    {
        CompiledPipeline pipeline = PipelineBlocks.load(Docs.pipelineAbove(block).text());
        List<Map<String, Object>> steps = new Yaml().load(block.text());
        assertThat(steps).as(block.where() + ": a scenario is a list of steps").isNotEmpty();
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline, PipelineBlocks.directory(scratch))) {
            for (Map<String, Object> step : steps) {
                run(block, driver, step);
            }
        }
    }

    private static void run(CodeBlock block, PipelineTestDriver driver, Map<String, Object> step)
    {
        List<?> in = (List<?>) step.get("in");
        assertThat(in).as(block.where() + ": step " + step + " has in: [topic, key, time, value]").hasSize(4);
        String topic = String.valueOf(in.get(0));
        String key = in.get(1) == null ? null : String.valueOf(in.get(1));
        Duration offset = Durations.parse(String.valueOf(in.get(2)))
                .orElseThrow(() -> new AssertionError(block.where() + ": bad time " + in.get(2)));
        String value = in.get(3) == null ? null : JsonValues.write(in.get(3));
        int rejectedBefore = driver.rejected().size();
        driver.pipe(topic, key, value, START.plus(offset).toEpochMilli());
        String what = block.where() + ": after " + in;
        List<OutputRecord> outputs = driver.readOutputs();
        List<?> expected = step.get("out") == null ? List.of() : (List<?>) step.get("out");
        assertThat(outputs).as(what + ", outputs " + texts(outputs)).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode actual = JsonValues.parse(outputs.get(i).valueText());
            String output = what + ": output " + i;
            JsonValues.tree(expected.get(i)).properties().forEach(column -> assertThat(
                    actual.has(column.getKey()) && JsonValues.same(column.getValue(), actual.get(column.getKey())))
                    .as(output + " column " + column.getKey() + " is " + column.getValue() + " in " + actual).isTrue());
        }
        List<String> rejected = driver.rejected().subList(rejectedBefore, driver.rejected().size()).stream()
                .map(reject -> reject.reason().label()).toList();
        Object expectedReason = step.get("rejected");
        assertThat(rejected).as(what + ", rejected").isEqualTo(expectedReason == null ? List.of() : List.of(String.valueOf(expectedReason)));
    }

    private static List<String> texts(List<OutputRecord> outputs)
    {
        List<String> texts = new ArrayList<>();
        outputs.forEach(output -> texts.add(output.valueText()));
        return texts;
    }
}
