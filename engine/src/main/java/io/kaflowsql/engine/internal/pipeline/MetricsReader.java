package io.kaflowsql.engine.internal.pipeline;

import io.kaflowsql.engine.api.MetricSpec;
import io.kaflowsql.engine.api.MetricSpec.MetricType;
import io.kaflowsql.engine.api.PipelineDefinition;
import io.kaflowsql.engine.api.config.YamlNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code metrics:} section of a pipeline (docs/reference/pipeline-metrics.md): a list of metric
 * declarations. Fails on the first problem, located at the key that causes it. Whether columns and labels
 * are output columns needs the compiled query and is checked by {@link MetricsValidator}.
 */
final class MetricsReader
{
    private static final List<String> KEYS = List.of("name", "type", "column", "labels", "buckets", "description");

    private MetricsReader() {}

    static List<MetricSpec> read(YamlNode section)
    {
        if (!section.isSequence()) {
            throw section.error("'metrics' is a list of metric declarations, each with at least 'name' and 'type'");
        }
        List<MetricSpec> metrics = new ArrayList<>();
        Map<String, MetricSpec> exported = new HashMap<>();
        for (YamlNode entry : section.elements()) {
            MetricSpec metric = metric(entry);
            Optional<String> collision = PipelineDefinition.collision(exported, metric);
            if (collision.isPresent()) {
                throw entry.required("name").error(collision.get());
            }
            metric.exportedNames().forEach(name -> exported.put(name, metric));
            metrics.add(metric);
        }
        return metrics;
    }

    private static MetricSpec metric(YamlNode entry)
    {
        if (!entry.isMapping()) {
            throw entry.error("a metric is a mapping with the keys " + String.join(", ", KEYS));
        }
        entry.requireOnlyKeys(KEYS);
        YamlNode nameNode = entry.required("name");
        String name = nameNode.asString().trim();
        MetricSpec.nameProblem(name).ifPresent(problem -> {
            throw nameNode.error(problem);
        });
        YamlNode typeNode = entry.required("type");
        MetricType type = MetricType.parse(typeNode.asString())
                .orElseThrow(() -> typeNode.error("metric type is counter, average or histogram, got '" + typeNode.asString() + "'"));
        Optional<YamlNode> columnNode = entry.get("column");
        MetricSpec.columnProblem(type, columnNode.isPresent()).ifPresent(problem -> {
            throw columnNode.orElse(typeNode).error(problem);
        });
        Optional<String> column = columnNode.map(node -> node.asString().trim());
        List<String> labels = entry.get("labels").map(MetricsReader::labels).orElse(List.of());
        List<Double> buckets = entry.get("buckets").map(node -> buckets(node, type)).orElse(List.of());
        Optional<String> description = entry.get("description").map(node -> node.asString().trim());
        return new MetricSpec(name, type, column, labels, buckets, description);
    }

    private static List<String> labels(YamlNode node)
    {
        if (!node.isSequence()) {
            throw node.error("'labels' is a list of output columns, e.g. [personalization_tier]");
        }
        List<YamlNode> elements = node.elements();
        if (elements.size() > MetricSpec.MAX_LABELS) {
            throw node.error(MetricSpec.labelsProblem(elements.stream().map(YamlNode::asString).toList()).orElseThrow());
        }
        List<String> labels = new ArrayList<>();
        for (YamlNode element : elements) {
            String label = element.asString().trim();
            labels.add(label);
            MetricSpec.labelsProblem(labels).ifPresent(problem -> {
                throw element.error(problem);
            });
        }
        return labels;
    }

    private static List<Double> buckets(YamlNode node, MetricType type)
    {
        if (type != MetricType.HISTOGRAM) {
            throw node.error(MetricSpec.bucketsNotAllowed(type));
        }
        if (!node.isSequence() || node.elements().isEmpty()) {
            throw node.error("'buckets' is a non-empty list of ascending upper bounds, e.g. [0.1, 0.5, 1.0]; remove it for the defaults");
        }
        List<Double> buckets = new ArrayList<>();
        for (YamlNode element : node.elements()) {
            buckets.add(number(element));
            MetricSpec.bucketsProblem(buckets).ifPresent(problem -> {
                throw element.error(problem);
            });
        }
        return buckets;
    }

    private static double number(YamlNode node)
    {
        String text = node.asString().trim();
        try {
            return Double.parseDouble(text);
        }
        catch (NumberFormatException e) {
            throw node.error("expected a number, got '" + text + "'");
        }
    }
}
