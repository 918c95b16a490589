package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.MetricSpec;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Declared metrics recorded from output rows and exported by a Prometheus registry, checked on the scraped text. */
class DeclaredMetricsTest
{
    private static final String PIPELINE = """
            name: enrich
            query: |
              SELECT c.event_id, u.tier AS tier, c.region AS region, CAST(c.score AS DOUBLE) AS score, c.amount AS amount
              FROM clicks c
              LEFT JOIN users u ON c.user_id = u.user_id
            output:
              topic: enriched
            state:
              dimensions: [users]
            metrics:
              - name: score_avg
                type: average
                column: score
                labels: [tier]
                description: Mean score
              - name: score_histogram
                type: histogram
                column: score
                buckets: [0.1, 0.5, 1.0]
              - name: events_by_tier
                type: counter
                labels: [tier]
              - name: amount_avg
                type: average
                column: amount
              - name: events_by_tier_region
                type: counter
                labels: [tier, region]
            """;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CompiledPipeline pipeline = new PipelineLoader().load(PIPELINE, "enrich.yaml");
    private final OutputObserver observer = DeclaredMetrics.register(pipeline, registry);

    @Test
    void averageExportsTheMeanPerLabelAndItsSampleCount()
    {
        observe("tier", "gold", "score", 0.9);
        observe("tier", "gold", "score", 0.3);
        observe("tier", "silver", "score", 0.8);

        assertThat(sample("score_avg{pipeline=\"enrich\",tier=\"gold\"}")).isCloseTo(0.6, within());
        assertThat(sample("score_avg{pipeline=\"enrich\",tier=\"silver\"}")).isCloseTo(0.8, within());
        assertThat(sample("score_avg_samples_total{pipeline=\"enrich\",tier=\"gold\"}")).isEqualTo(2.0);
        assertThat(registry.scrape()).contains("# HELP score_avg Mean score");
    }

    @Test
    void histogramCountsCumulativeBucketsAtFractionalBounds()
    {
        for (double score : new double[] {0.05, 0.3, 0.3, 0.5, 0.95, 4.0}) {
            observe("score", score);
        }

        assertThat(sample("score_histogram_seconds_bucket{pipeline=\"enrich\",le=\"0.1\"}")).isEqualTo(1);
        assertThat(sample("score_histogram_seconds_bucket{pipeline=\"enrich\",le=\"0.5\"}")).isEqualTo(4);
        assertThat(sample("score_histogram_seconds_bucket{pipeline=\"enrich\",le=\"1.0\"}")).isEqualTo(5);
        assertThat(sample("score_histogram_seconds_bucket{pipeline=\"enrich\",le=\"+Inf\"}")).isEqualTo(6);
        assertThat(sample("score_histogram_seconds_count{pipeline=\"enrich\"}")).isEqualTo(6);
        assertThat(sample("score_histogram_seconds_sum{pipeline=\"enrich\"}")).isCloseTo(6.1, within());
        assertThat(sample("score_histogram_seconds_max{pipeline=\"enrich\"}")).isEqualTo(4.0);
    }

    @Test
    void counterCountsEveryResultPerLabelCombination()
    {
        observe("tier", "gold", "region", "eu");
        observe("tier", "gold", "region", "eu");
        observe("tier", "gold", "region", "us");

        assertThat(sample("events_by_tier_total{pipeline=\"enrich\",tier=\"gold\"}")).isEqualTo(3);
        assertThat(sample("events_by_tier_region_total{pipeline=\"enrich\",region=\"eu\",tier=\"gold\"}")).isEqualTo(2);
        assertThat(sample("events_by_tier_region_total{pipeline=\"enrich\",region=\"us\",tier=\"gold\"}")).isEqualTo(1);
    }

    @Test
    void everyNumberTypeIsRecordedByItsValue()
    {
        observe("amount", 1L);
        observe("amount", 2);
        observe("amount", new BigDecimal("3.5"));
        observe("amount", 5.5);

        assertThat(sample("amount_avg{pipeline=\"enrich\"}")).isCloseTo(3.0, within());
        assertThat(sample("amount_avg_samples_total{pipeline=\"enrich\"}")).isEqualTo(4);
    }

    @Test
    void nullValueRecordsNothingAndNullLabelIsTheWordNull()
    {
        observe("tier", "gold", "score", null);
        observe("tier", null, "score", 0.4);

        assertThat(registry.scrape()).doesNotContain("score_avg{pipeline=\"enrich\",tier=\"gold\"}");
        assertThat(sample("score_avg{pipeline=\"enrich\",tier=\"null\"}")).isCloseTo(0.4, within());
        assertThat(sample("score_histogram_seconds_count{pipeline=\"enrich\"}")).isEqualTo(1);
        assertThat(sample("events_by_tier_total{pipeline=\"enrich\",tier=\"gold\"}")).isEqualTo(1);
        assertThat(sample("events_by_tier_total{pipeline=\"enrich\",tier=\"null\"}")).isEqualTo(1);
        assertThat(sample("kaflowsql_metric_values_skipped_total{metric=\"score_avg\",pipeline=\"enrich\"}")).isZero();
    }

    @Test
    void unusableValuesAreSkippedAndCounted()
    {
        observe("amount", "12");
        observe("amount", Double.NaN);
        observe("amount", 4.0);
        observe("score", -1.0);
        observe("score", true);

        assertThat(sample("amount_avg{pipeline=\"enrich\"}")).isEqualTo(4.0);
        assertThat(sample("kaflowsql_metric_values_skipped_total{metric=\"amount_avg\",pipeline=\"enrich\"}")).isEqualTo(2);
        assertThat(sample("kaflowsql_metric_values_skipped_total{metric=\"score_histogram\",pipeline=\"enrich\"}")).isEqualTo(2);
        assertThat(sample("score_histogram_seconds_count{pipeline=\"enrich\"}")).isZero();
    }

    @Test
    void labelCombinationsBeyondTheCapRecordAsOther()
    {
        int combinations = DeclaredMetric.MAX_SERIES + 50;
        for (int i = 0; i < combinations; i++) {
            observe("tier", "t" + i, "score", 1.0);
        }
        observe("tier", "t0", "score", 1.0);

        String scrape = registry.scrape();
        assertThat(scrape.lines().filter(line -> line.startsWith("events_by_tier_total{")).count()).isEqualTo(DeclaredMetric.MAX_SERIES + 1);
        assertThat(sample("events_by_tier_total{pipeline=\"enrich\",tier=\"other\"}")).isEqualTo(50);
        assertThat(sample("events_by_tier_total{pipeline=\"enrich\",tier=\"t0\"}")).isEqualTo(2);
        assertThat(sample("score_avg_samples_total{pipeline=\"enrich\",tier=\"other\"}")).isEqualTo(50);
        assertThat(sample("events_by_tier_region_total{pipeline=\"enrich\",region=\"other\",tier=\"other\"}")).isEqualTo(50);
    }

    @Test
    void metricsWithoutLabelsAreExportedBeforeTheFirstResult()
    {
        assertThat(sample("score_histogram_seconds_count{pipeline=\"enrich\"}")).isZero();
        assertThat(sample("score_histogram_seconds_bucket{pipeline=\"enrich\",le=\"0.1\"}")).isZero();
        assertThat(sample("amount_avg{pipeline=\"enrich\"}")).isNaN();
        assertThat(registry.scrape()).doesNotContain("events_by_tier_total{");
    }

    @Test
    void everyExportedFamilyIsAmongTheNamesCheckedForCollisions()
    {
        observe("tier", "gold", "region", "eu", "score", 0.5, "amount", 1.0);
        Set<String> declared = new HashSet<>();
        pipeline.definition().metrics().forEach(metric -> declared.addAll(metric.exportedNames()));

        List<String> families = registry.scrape().lines().filter(line -> line.startsWith("# TYPE "))
                .map(line -> line.split(" ")[2])
                .filter(name -> !name.startsWith(MetricSpec.RESERVED_PREFIX))
                .toList();
        assertThat(families).hasSize(8).allSatisfy(family -> assertThat(declared).contains(family));
    }

    @Test
    void unregisterRemovesTheMetersAndRegisteringAgainStartsFromZero()
    {
        observe("tier", "gold", "score", 0.9, "amount", 3.0);

        DeclaredMetrics.unregister(pipeline, registry);
        assertThat(registry.scrape()).doesNotContain("score_avg").doesNotContain("amount_avg").doesNotContain("events_by_tier")
                .doesNotContain("score_histogram").doesNotContain("kaflowsql_metric_values_skipped");

        OutputObserver again = DeclaredMetrics.register(pipeline, registry);
        again.observe(row(Map.of("amount", 5.0)));
        assertThat(sample("amount_avg{pipeline=\"enrich\"}")).isEqualTo(5.0);
        assertThat(sample("amount_avg_samples_total{pipeline=\"enrich\"}")).isEqualTo(1);
    }

    @Test
    void pipelineWithoutMetricsGetsTheNoOpObserver()
    {
        CompiledPipeline plain = new PipelineLoader().load(PIPELINE.substring(0, PIPELINE.indexOf("metrics:")), "plain.yaml");

        assertThat(DeclaredMetrics.register(plain, registry)).isSameAs(OutputObserver.NONE);
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTag("pipeline")).isEqualTo("enrich"));
    }

    @Test
    void concurrentTaskThreadsLoseNoRecord()
            throws Exception
    {
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String tier = "tier" + t % 2;
                futures.add(pool.submit(() -> {
                    Object[] values = row(Map.of("tier", tier, "region", "eu", "score", 0.5, "amount", 2.0));
                    for (int i = 0; i < perThread; i++) {
                        observer.observe(values);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }

        double total = threads * perThread;
        assertThat(sample("events_by_tier_total{pipeline=\"enrich\",tier=\"tier0\"}")
                + sample("events_by_tier_total{pipeline=\"enrich\",tier=\"tier1\"}")).isEqualTo(total);
        assertThat(sample("amount_avg_samples_total{pipeline=\"enrich\"}")).isEqualTo(total);
        assertThat(sample("amount_avg{pipeline=\"enrich\"}")).isEqualTo(2.0);
        assertThat(sample("score_histogram_seconds_bucket{pipeline=\"enrich\",le=\"0.5\"}")).isEqualTo(total);
    }

    /** Observes one output row given as name/value pairs; unnamed columns are NULL. */
    private void observe(Object... namesAndValues)
    {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        observer.observe(row(values));
    }

    private Object[] row(Map<String, Object> byName)
    {
        List<OutputItem> outputs = pipeline.plan().outputs();
        Object[] values = new Object[outputs.size()];
        for (int i = 0; i < values.length; i++) {
            if (outputs.get(i) instanceof OutputItem.Column column) {
                values[i] = byName.get(column.name());
            }
        }
        assertThat(Arrays.stream(values).filter(value -> value != null).count()).isEqualTo(byName.values().stream().filter(v -> v != null).count());
        return values;
    }

    private double sample(String series)
    {
        String scrape = registry.scrape();
        return scrape.lines().filter(line -> line.startsWith(series + " "))
                .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + scrape));
    }

    private static Offset<Double> within()
    {
        return Offset.offset(1e-9);
    }
}
