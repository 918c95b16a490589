package io.kaflowsql.engine.api;

import io.kaflowsql.engine.api.MetricSpec.MetricType;
import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The {@code metrics:} section: how it is read, and every error located at the key that causes it. */
class DeclaredMetricsConfigTest
{
    private static final String VALID = """
            name: enrich
            query: |
              SELECT c.event_id, c.user_id, u.tier AS tier, CAST(c.score AS DOUBLE) AS score, c.amount AS amount,
                UPPER(u.name) AS user_name
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
            """;

    private final PipelineLoader loader = new PipelineLoader();

    @Test
    void readsEveryDeclaredMetric()
    {
        List<MetricSpec> metrics = loader.load(VALID, "enrich.yaml").definition().metrics();

        assertThat(metrics).containsExactly(
                new MetricSpec("score_avg", MetricType.AVERAGE, Optional.of("score"), List.of("tier"), List.of(), Optional.of("Mean score")),
                new MetricSpec("score_histogram", MetricType.HISTOGRAM, Optional.of("score"), List.of(), List.of(0.1, 0.5, 1.0), Optional.empty()),
                new MetricSpec("events_by_tier", MetricType.COUNTER, Optional.empty(), List.of("tier"), List.of(), Optional.empty()));
    }

    @Test
    void histogramWithoutBucketsGetsTheDefaultsAndUntypedColumnsAreAccepted()
    {
        String text = VALID.replace("    column: score\n    buckets: [0.1, 0.5, 1.0]\n", "    column: amount\n");
        MetricSpec histogram = loader.load(text, "enrich.yaml").definition().metrics().get(1);

        assertThat(histogram.column()).contains("amount");
        assertThat(histogram.buckets()).isEqualTo(MetricSpec.DEFAULT_BUCKETS);
    }

    @Test
    void pipelineWithoutTheSectionDeclaresNoMetrics()
    {
        String text = VALID.substring(0, VALID.indexOf("metrics:"));

        assertThat(loader.load(text, "enrich.yaml").definition().metrics()).isEmpty();
    }

    @Test
    void unknownTypeIsLocatedAtTheTypeKey()
    {
        ConfigProblem problem = single(VALID.replace("type: average", "type: mean"));

        assertThat(problem.line()).isEqualTo(lineOf(VALID, "type: average"));
        assertThat(problem.column()).isEqualTo(11);
        assertThat(problem.key()).isEqualTo("metrics[0].type");
        assertThat(problem.message()).contains("counter, average or histogram").contains("'mean'");
    }

    @Test
    void unknownKeySuggestsTheClosestOne()
    {
        ConfigProblem problem = single(VALID.replace("    labels: [tier]\n    description", "    label: [tier]\n    description"));

        assertThat(problem.key()).isEqualTo("metrics[0].label");
        assertThat(problem.message()).contains("unknown key 'metrics[0].label'").contains("did you mean 'labels'");
    }

    @Test
    void averageAndHistogramNeedAColumnAndCountersTakeNone()
    {
        ConfigProblem missing = single(VALID.replace("    column: score\n    labels", "    labels"));
        assertThat(missing.key()).isEqualTo("metrics[0].type");
        assertThat(missing.message()).contains("type average needs 'column'");

        ConfigProblem counter = single(VALID.replace("    type: counter\n", "    type: counter\n    column: score\n"));
        assertThat(counter.key()).isEqualTo("metrics[2].column");
        assertThat(counter.message()).contains("a counter counts emitted results and takes no 'column'");
    }

    @Test
    void columnMustBeAnOutputColumn()
    {
        String text = VALID.replace("    column: score\n    labels", "    column: scor\n    labels");
        ConfigProblem problem = single(text);

        assertThat(problem.line()).isEqualTo(lineOf(text, "column: scor\n"));
        assertThat(problem.column()).isEqualTo(13);
        assertThat(problem.key()).isEqualTo("metrics[0].column");
        assertThat(problem.message()).contains("column 'scor' is not an output column").contains("did you mean 'score'");
    }

    @Test
    void columnOnlyReachedThroughStarMustBeSelectedByName()
    {
        String text = VALID.replace("SELECT c.event_id, c.user_id,", "SELECT c.*,").replace("c.amount AS amount,", "")
                .replace("    column: score\n    buckets", "    column: amount\n    buckets");
        ConfigProblem problem = single(text);

        assertThat(problem.key()).isEqualTo("metrics[1].column");
        assertThat(problem.message()).contains("'amount' is not named in the SELECT list").contains("select it by name");
    }

    @Test
    void averageOfAStringColumnIsRejected()
    {
        ConfigProblem problem = single(VALID.replace("    column: score\n    labels", "    column: user_name\n    labels"));

        assertThat(problem.key()).isEqualTo("metrics[0].column");
        assertThat(problem.message()).contains("column 'user_name' is VARCHAR, but a metric of type average needs a number");
    }

    @Test
    void labelsMustBeOutputColumnsAndEveryProblemIsReported()
    {
        String text = VALID.replace("    column: score\n    buckets", "    column: nope\n    labels: [tier, teir]\n    buckets");
        List<ConfigProblem> problems = problems(text);

        assertThat(problems).extracting(ConfigProblem::key).containsExactly("metrics[1].column", "metrics[1].labels[1]");
        assertThat(problems.get(1).line()).isEqualTo(lineOf(text, "labels: [tier, teir]"));
        assertThat(problems.get(1).column()).isEqualTo(20);
        assertThat(problems.get(1).message()).contains("label 'teir' is not an output column").contains("did you mean 'tier'");
    }

    @Test
    void atMostThreeLabelsEachListedOnceAndNotReserved()
    {
        ConfigProblem tooMany = single(VALID.replace("labels: [tier]\n    description", "labels: [tier, user_id, event_id, score]\n    description"));
        assertThat(tooMany.key()).isEqualTo("metrics[0].labels");
        assertThat(tooMany.message()).contains("at most 3 labels");

        ConfigProblem twice = single(VALID.replace("labels: [tier]\n    description", "labels: [tier, tier]\n    description"));
        assertThat(twice.key()).isEqualTo("metrics[0].labels[1]");
        assertThat(twice.message()).contains("listed twice");

        ConfigProblem reserved = single(VALID.replace("labels: [tier]\n    description", "labels: [pipeline]\n    description"));
        assertThat(reserved.key()).isEqualTo("metrics[0].labels[0]");
        assertThat(reserved.message()).contains("'pipeline' is a label the exporter sets itself");
    }

    @Test
    void namesArePrometheusNamesOutsideTheNodesPrefixWithoutReservedSuffixes()
    {
        assertThat(single(VALID.replace("name: score_avg", "name: score-avg")).message()).contains("a metric name is a Prometheus name");
        assertThat(single(VALID.replace("name: score_avg", "name: 1score")).message()).contains("a metric name is a Prometheus name");
        assertThat(single(VALID.replace("name: score_avg", "name: kaflowsql_score")).message()).contains("the node's own metrics");
        ConfigProblem suffix = single(VALID.replace("name: events_by_tier", "name: events_total"));
        assertThat(suffix.key()).isEqualTo("metrics[2].name");
        assertThat(suffix.message()).contains("reserves the suffix '_total'");
    }

    @Test
    void duplicateNamesAndCollidingExportedNamesAreRejectedAtTheLaterName()
    {
        String duplicate = VALID.replace("name: events_by_tier", "name: score_avg");
        ConfigProblem problem = single(duplicate);
        assertThat(problem.line()).isEqualTo(lineOf(duplicate, "  - name: score_avg\n    type: counter"));
        assertThat(problem.key()).isEqualTo("metrics[2].name");
        assertThat(problem.message()).contains("metric name 'score_avg' is declared twice");

        ConfigProblem collision = single(VALID.replace("name: events_by_tier", "name: score_avg_samples"));
        assertThat(collision.message()).contains("collides with metric 'score_avg'").contains("'score_avg_samples'");

        ConfigProblem histogram = single(VALID.replace("name: events_by_tier", "name: score_histogram_seconds_max"));
        assertThat(histogram.message()).contains("collides with metric 'score_histogram'");
    }

    @Test
    void bucketsMustBeAscendingPositiveNumbersAndOnlyOnHistograms()
    {
        String unsorted = VALID.replace("[0.1, 0.5, 1.0]", "[0.1, 0.5, 0.3]");
        ConfigProblem problem = single(unsorted);
        assertThat(problem.line()).isEqualTo(lineOf(unsorted, "buckets:"));
        assertThat(problem.column()).isEqualTo(25);
        assertThat(problem.key()).isEqualTo("metrics[1].buckets[2]");
        assertThat(problem.message()).contains("buckets must be ascending: 0.3 follows 0.5");

        assertThat(single(VALID.replace("[0.1, 0.5, 1.0]", "[0, 0.5]")).message()).contains("a bucket bound is a number from 1e-9");
        assertThat(single(VALID.replace("[0.1, 0.5, 1.0]", "[0.1, high]")).message()).contains("expected a number, got 'high'");
        ConfigProblem onCounter = single(VALID.replace("    type: counter\n", "    type: counter\n    buckets: [1]\n"));
        assertThat(onCounter.key()).isEqualTo("metrics[2].buckets");
        assertThat(onCounter.message()).contains("'buckets' only applies to type histogram");
    }

    @Test
    void sectionMustBeAListOfMappings()
    {
        String text = VALID.substring(0, VALID.indexOf("metrics:")) + "metrics:\n  score_avg: average\n";

        assertThat(single(text).message()).contains("'metrics' is a list of metric declarations");
    }

    @Test
    void definitionsKeepTheirMetricsAndCheckThemWhenBuiltInCode()
    {
        PipelineDefinition definition = loader.load(VALID, "enrich.yaml").definition();
        assertThat(definition.withOutputFormat(OutputFormat.AVRO).metrics()).isEqualTo(definition.metrics());

        PipelineDefinition plain = new PipelineDefinition("p", Optional.of(Duration.ofHours(1)), "SELECT 1", definition.output(),
                EmissionSpec.DEFAULT, StateSpec.EMPTY);
        assertThat(plain.metrics()).isEmpty();
        MetricSpec counter = definition.metrics().get(2);
        assertThatThrownBy(() -> plain.withMetrics(List.of(counter, counter)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> new MetricSpec("x", MetricType.HISTOGRAM, Optional.of("v"), List.of(), List.of(2.0, 1.0), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new MetricSpec("x", MetricType.COUNTER, Optional.empty(), List.of("a", "b", "c", "d"), List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 3 labels");
    }

    private static int lineOf(String text, String snippet)
    {
        int at = text.indexOf(snippet);
        assertThat(at).as("snippet %s", snippet).isNotNegative();
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private ConfigProblem single(String text)
    {
        List<ConfigProblem> problems = problems(text);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).file()).isEqualTo("enrich.yaml");
        return problems.get(0);
    }

    private List<ConfigProblem> problems(String text)
    {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> loader.load(text, "enrich.yaml"));
        assertThat(e).as("expected a configuration error").isNotNull();
        return e.problems();
    }
}
