package io.kaflowsql.engine.internal.pipeline;

import io.kaflowsql.engine.api.MetricSpec;
import io.kaflowsql.engine.api.MetricSpec.MetricType;
import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.YamlNode;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SqlType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Checks declared metrics against the compiled query: a metric's column and labels must be explicit
 * output columns (named in the SELECT list, not only reached through {@code *}), and an average or
 * histogram needs a column that may be numeric. {@link SqlType#ANY} columns pass: their non-numeric values
 * are skipped and counted at run time.
 */
final class MetricsValidator
{
    private final YamlNode root;
    private final List<MetricSpec> metrics;
    private final QueryPlan plan;
    private final Map<String, OutputItem.Column> columns = new LinkedHashMap<>();

    MetricsValidator(YamlNode root, List<MetricSpec> metrics, QueryPlan plan)
    {
        this.root = requireNonNull(root, "root is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.plan = requireNonNull(plan, "plan is null");
        for (OutputItem item : plan.outputs()) {
            if (item instanceof OutputItem.Column column) {
                columns.putIfAbsent(column.name(), column);
            }
        }
    }

    List<ConfigProblem> validate()
    {
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            MetricSpec metric = metrics.get(i);
            YamlNode entry = entry(i);
            if (metric.column().isPresent()) {
                YamlNode at = entry.isMapping() ? entry.get("column").orElse(entry) : entry;
                columnProblem(metric, metric.column().get()).ifPresent(message -> problems.add(at.problem(message)));
            }
            List<YamlNode> labelNodes = entry.isMapping() ? entry.get("labels").map(YamlNode::elements).orElse(List.of()) : List.of();
            for (int j = 0; j < metric.labels().size(); j++) {
                YamlNode at = j < labelNodes.size() ? labelNodes.get(j) : entry;
                String label = metric.labels().get(j);
                if (!columns.containsKey(label)) {
                    problems.add(at.problem("label " + notExplicit(label)));
                }
            }
        }
        return problems;
    }

    private Optional<String> columnProblem(MetricSpec metric, String name)
    {
        OutputItem.Column column = columns.get(name);
        if (column == null) {
            return Optional.of("column " + notExplicit(name));
        }
        SqlType type = column.type();
        boolean numeric = type == SqlType.BIGINT || type == SqlType.DOUBLE || type == SqlType.ANY;
        if (metric.type() != MetricType.COUNTER && !numeric) {
            return Optional.of("column '" + name + "' is " + type + ", but a metric of type " + metric.type().yamlName()
                    + " needs a number; pick a numeric column or CAST it in the SELECT list");
        }
        return Optional.empty();
    }

    private String notExplicit(String name)
    {
        if (plan.hasStar()) {
            return "'" + name + "' is not named in the SELECT list; columns that only come through '*' are not known before "
                    + "a record arrives, so select it by name (e.g. c." + name + " AS " + name + ")"
                    + PipelineValidator.hint(name, columns.keySet());
        }
        return "'" + name + "' is not an output column" + PipelineValidator.hint(name, columns.keySet());
    }

    /** The YAML entry of metric {@code index}, or the best enclosing node when the metrics came from elsewhere. */
    private YamlNode entry(int index)
    {
        Optional<YamlNode> section = root.get("metrics");
        if (section.isEmpty() || !section.get().isSequence()) {
            return root;
        }
        List<YamlNode> entries = section.get().elements();
        return index < entries.size() ? entries.get(index) : section.get();
    }
}
