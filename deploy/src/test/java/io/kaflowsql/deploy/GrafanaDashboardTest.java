package io.kaflowsql.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/grafana/kaflowsql-dashboard.json queries only metrics that docs/reference/metrics.md documents (so a renamed metric
 * fails here, not silently in Grafana), covers what an operator watches, and is a dashboard Grafana can load.
 */
class GrafanaDashboardTest
{
    private static final Set<String> DERIVED_SUFFIXES = Set.of("_bucket", "_count", "_sum", "_max");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "bool", "offset", "inf", "nan");
    private static final Pattern DOCUMENTED = Pattern.compile("`((?:kaflowsql|jvm|process|system)_[a-z0-9_]+)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final JsonNode dashboard;

    GrafanaDashboardTest()
            throws IOException
    {
        dashboard = new ObjectMapper().readTree(Repository.file("deploy/grafana/kaflowsql-dashboard.json").toFile());
    }

    @Test
    void everyQueriedMetricIsDocumented()
    {
        Set<String> documented = documentedMetrics();
        Set<String> used = new TreeSet<>();
        queries().forEach(query -> used.addAll(metricNames(query)));

        assertThat(used).isNotEmpty();
        assertThat(used).allSatisfy(metric -> assertThat(isDocumented(metric, documented))
                .as("%s is queried by the dashboard but not in docs/reference/metrics.md", metric).isTrue());
    }

    @Test
    void coversThroughputLatencyPercentilesLagHitRatesStateSizeAndRebalances()
    {
        Set<String> used = new HashSet<>();
        queries().forEach(query -> used.addAll(metricNames(query)));

        assertThat(used).contains("kaflowsql_records_in_total", "kaflowsql_records_out_total",
                "kaflowsql_end_to_end_latency_histogram_seconds_bucket", "kaflowsql_processing_latency_histogram_seconds_bucket",
                "kaflowsql_consumer_lag", "kaflowsql_join_hits_total", "kaflowsql_join_lookups_total", "kaflowsql_state_size_bytes",
                "kaflowsql_assignments_applied_total");
        assertThat(queries()).anyMatch(query -> query.startsWith("histogram_quantile(0.99,"))
                .anyMatch(query -> query.startsWith("histogram_quantile(0.5,"));
    }

    @Test
    void isALoadableDashboardWithUniquePanelsOnTheDataSourceVariable()
    {
        assertThat(dashboard.path("uid").asText()).isEqualTo("kaflowsql");
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            assertThat(panel.path("gridPos").path("w").asInt()).as(panel.path("title").asText()).isBetween(1, 24);
            assertThat(panel.path("gridPos").path("x").asInt() + panel.path("gridPos").path("w").asInt()).isLessThanOrEqualTo(24);
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
                panel.path("targets").forEach(target -> assertThat(target.path("expr").asText()).isNotBlank());
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(dashboard.path("templating").path("list")).anySatisfy(variable -> assertThat(variable.path("name").asText()).isEqualTo("datasource"));
    }

    @Test
    void metricNameExtractionSkipsFunctionsLabelsAndGroupings()
    {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, source) (rate(a_bucket{pipeline=~\"$pipeline\",quantile=\"0.99\"}[5m]))) / on(x) b_total"))
                .containsExactlyInAnyOrder("a_bucket", "b_total");
    }

    private List<String> queries()
    {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.add(variable.path("query").path("query").asText());
            }
        }
        return queries;
    }

    /** Metric names in a PromQL expression (or a label_values(...) variable query). */
    static Set<String> metricNames(String query)
    {
        String stripped = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^\\}]*\\}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        // label_values(metric, label): the second argument is a label.
        stripped = stripped.replaceAll("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)", "$1");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            String word = matcher.group();
            int next = matcher.end();
            while (next < stripped.length() && stripped.charAt(next) == ' ') {
                next++;
            }
            boolean function = next < stripped.length() && stripped.charAt(next) == '(';
            if (!function && !PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    private static Set<String> documentedMetrics()
    {
        Set<String> names = new HashSet<>();
        Matcher matcher = DOCUMENTED.matcher(Repository.read("docs/reference/metrics.md"));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static boolean isDocumented(String metric, Set<String> documented)
    {
        if (documented.contains(metric)) {
            return true;
        }
        return DERIVED_SUFFIXES.stream().anyMatch(suffix -> metric.endsWith(suffix)
                && documented.contains(metric.substring(0, metric.length() - suffix.length())));
    }
}
