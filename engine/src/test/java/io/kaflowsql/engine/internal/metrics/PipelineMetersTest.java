package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.runtime.PipelineRuntime.State;
import io.kaflowsql.engine.internal.state.CompactDimensionTable;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineMetersTest
{
    private static final String PIPELINE = """
            name: enrich
            query: |
              SELECT c.event_id, c.user_id, u.tier AS tier, o.total AS total
              FROM clicks c
              LEFT JOIN users u ON c.user_id = u.user_id
              LEFT JOIN orders o ON c.user_id = o.user_id
            output:
              topic: enriched
              key: user_id
            state:
              dimensions: [users]
            """;
    private static final TopicPartition CLICKS_0 = new TopicPartition("clicks", 0);
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition CLICKS_1 = new TopicPartition("clicks", 1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CompiledPipeline pipeline = new PipelineLoader().load(PIPELINE, "enrich.yaml", definition -> definition.withOutputFormat(OutputFormat.JSON));
    private final DimensionTable users = new CompactDimensionTable();
    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final PipelineMeters meters = PipelineMeters.register(registry, pipeline, new PipelineMetrics(pipeline.sources()), state::get,
            new DimensionTable[] {null, users, null});

    @AfterEach
    void closeTable()
    {
        users.close();
    }

    @Test
    void taskMetersDisappearWhenTheTaskCloses()
    {
        TaskMeters task0 = meters.openTask(0, List.of(CLICKS_0, ORDERS_0));
        TaskMeters task1 = meters.openTask(1, List.of(CLICKS_1));
        task0.sampleState(4_096, 12, 3);
        assertThat(gauge(TaskMeters.STATE_SIZE, "partition", "0")).isEqualTo(4_096);
        assertThat(gauge(TaskMeters.STATE_KEYS, "partition", "0")).isEqualTo(12);
        assertThat(gauge(TaskMeters.HELD_RECORDS, "partition", "0")).isEqualTo(3);
        assertThat(registry.find(ConsumerLagGauges.CONSUMER_LAG).tag("partition", "0").gauges()).hasSize(2);
        assertThat(gauge(PipelineMeters.TASKS)).isEqualTo(2);

        task0.close();

        assertThat(registry.getMeters()).noneMatch(meter -> "0".equals(meter.getId().getTag("partition")));
        assertThat(task0.meters()).isEmpty();
        assertThat(gauge(PipelineMeters.TASKS)).isEqualTo(1);
        assertThat(gauge(TaskMeters.STATE_SIZE, "partition", "1")).as("other tasks keep theirs").isNaN();
        assertThat(registry.find(ConsumerLagGauges.CONSUMER_LAG).tags("source", "clicks", "partition", "1").gauge()).isNotNull();
        task0.close();
        assertThat(gauge(PipelineMeters.TASKS)).as("closing twice counts once").isEqualTo(1);
        task1.close();
        assertThat(gauge(PipelineMeters.TASKS)).isZero();
    }

    @Test
    void lagGaugesShowWhatTheConsumerThreadSampled()
    {
        TaskMeters task = meters.openTask(0, List.of(CLICKS_0, ORDERS_0));
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(CLICKS_0));
        consumer.updateBeginningOffsets(Map.of(CLICKS_0, 0L));
        consumer.updateEndOffsets(Map.of(CLICKS_0, 10L));
        consumer.seek(CLICKS_0, 4);
        assertThat(lag("clicks", "0")).as("NaN until sampled").isNaN();

        task.sampleLag(consumer);

        assertThat(lag("clicks", "0")).isEqualTo(6);
        consumer.seek(CLICKS_0, 10);
        assertThat(lag("clicks", "0")).as("a gauge never reads the consumer itself").isEqualTo(6);
        task.sampleLag(consumer);
        assertThat(lag("clicks", "0")).isZero();
    }

    @Test
    void endToEndLatencyPublishesQuantilesAndBucketsAndIgnoresClockSkew()
    {
        meters.resultProduced(1_000, 1_250);
        meters.resultProduced(1_000, 1_010);
        meters.resultProduced(2_000, 1_990);

        Timer quantiles = registry.get(PipelineMeters.END_TO_END_LATENCY).tag("pipeline", "enrich").timer();
        Timer histogram = registry.get(PipelineMeters.END_TO_END_LATENCY + ".histogram").tag("pipeline", "enrich").timer();
        assertThat(quantiles.count()).isEqualTo(2);
        assertThat(quantiles.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(260);
        assertThat(quantiles.takeSnapshot().percentileValues()).extracting(value -> value.percentile()).containsExactly(0.5, 0.95, 0.99);
        assertThat(histogram.count()).isEqualTo(2);
        assertThat(histogram.takeSnapshot().histogramCounts()).isNotEmpty();
    }

    @Test
    void processingLatencyRecordsTheAveragePerRecordOfEachChunk()
    {
        meters.chunkProcessed(10_000, 10);
        meters.chunkProcessed(5_000, 0);

        Timer processing = registry.get(PipelineMeters.PROCESSING_LATENCY).timer();
        assertThat(processing.count()).isEqualTo(1);
        assertThat(processing.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(1_000);
    }

    @Test
    void checkpointAndRestoreDurationsAreTimed()
    {
        meters.checkpointWritten(TimeUnit.MILLISECONDS.toNanos(15));
        meters.restored(120);

        assertThat(registry.get(PipelineMeters.CHECKPOINT_DURATION).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(15);
        assertThat(registry.get(PipelineMeters.RESTORE_DURATION).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
    }

    @Test
    void pipelineStateGaugeIsOneForTheCurrentStateOnly()
    {
        state.set(State.RUNNING);

        assertThat(gauge(PipelineMeters.PIPELINE_STATE, "state", "running")).isEqualTo(1);
        assertThat(gauge(PipelineMeters.PIPELINE_STATE, "state", "created")).isZero();
        assertThat(registry.find(PipelineMeters.PIPELINE_STATE).gauges()).hasSize(State.values().length);
    }

    @Test
    void dimensionGaugesFollowTheTable()
    {
        users.upsert("u1", "u1", new Object[] {"u1", "gold"});
        users.upsert("u2", "u2", new Object[] {"u2", "free"});

        assertThat(gauge(PipelineMeters.DIMENSION_ROWS, "source", "users")).isEqualTo(2);
        assertThat(gauge(PipelineMeters.DIMENSION_SIZE, "source", "users")).isPositive();
        assertThat(registry.find(PipelineMeters.DIMENSION_ROWS).tag("source", "orders").gauge()).as("event tables are not dimensions").isNull();
    }

    @Test
    void closeRemovesEveryMeterOfThePipeline()
    {
        meters.openTask(0, List.of(CLICKS_0));
        meters.dimensionLag().track(List.of(new TopicPartition("users", 0)));
        assertThat(registry.find(ConsumerLagGauges.CONSUMER_LAG).tag("source", "users").gauge()).isNotNull();

        meters.close();

        List<Meter> left = registry.getMeters().stream()
                .filter(meter -> meter.getId().getTag("partition") == null)
                .toList();
        assertThat(left).as("only the still-open task's meters are left (its task removes them)").isEmpty();
    }

    private double gauge(String name, String... tags)
    {
        return registry.get(name).tag("pipeline", "enrich").tags(tags).gauge().value();
    }

    private double lag(String topic, String partition)
    {
        return gauge(ConsumerLagGauges.CONSUMER_LAG, "source", topic, "partition", partition);
    }
}
