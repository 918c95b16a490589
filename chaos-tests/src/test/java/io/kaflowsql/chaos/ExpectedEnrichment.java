package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's own answer for a {@link ChaosTraffic}: the pipeline run in-process with {@link PipelineTestDriver}
 * over the initial rows and then the live records in order, as event id to enriched value. The chaos checker does not
 * use it (it must not share code with the engine); its tests do, to show that the hand-written seed query
 * ({@link SeedEnrichment}) agrees with the engine on every value, rows changing along the way included.
 *
 * <p>Stateless; thread-safe.
 */
final class ExpectedEnrichment
{
    private ExpectedEnrichment() {}

    /** Event id to the engine's output value, in click order; {@code stateDir} holds the driver's RocksDB. */
    static Map<String, JsonNode> compute(CompiledPipeline pipeline, ChaosTraffic traffic, Path stateDir)
    {
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline, stateDir)) {
            for (GeneratedRecord row : traffic.initialRows()) {
                driver.pipe(row.topic(), row.key(), row.json(), row.timestampMillis());
            }
            for (GeneratedRecord record : traffic.live()) {
                driver.pipe(record.topic(), record.key(), record.json(), record.timestampMillis());
            }
            for (OutputRecord output : driver.readOutputs()) {
                JsonNode value = OutputValues.parse(output.valueText());
                String eventId = OutputValues.eventId(value);
                if (expected.put(eventId, value) != null) {
                    throw new IllegalStateException("the reference run emitted event " + eventId + " twice");
                }
            }
            if (!driver.rejected().isEmpty()) {
                throw new IllegalStateException("the reference run rejected records: " + driver.rejected());
            }
        }
        return expected;
    }
}
