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
 * What a crash-free run must write: the pipeline run in-process over the {@link CrashTestData} with
 * {@link PipelineTestDriver}, as event id to enriched value. Valid as the reference for a node with
 * any number of partitions because every click is complete on arrival (see {@link CrashTestData}):
 * a click's enrichment depends only on the joined rows, not on the other clicks or their order.
 *
 * <p>Stateless; thread-safe.
 */
final class ExpectedEnrichment
{
    private ExpectedEnrichment() {}

    /** Event id to expected output value, in click order; {@code stateDir} holds the driver's RocksDB. */
    static Map<String, JsonNode> compute(CompiledPipeline pipeline, CrashTestData data, Path stateDir)
    {
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline, stateDir)) {
            for (GeneratedRecord row : data.joinedRows()) {
                driver.pipe(row.topic(), row.key(), row.json(), row.timestampMillis());
            }
            for (GeneratedRecord click : data.clicks()) {
                driver.pipe(click.topic(), click.key(), click.json(), click.timestampMillis());
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
