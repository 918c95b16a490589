package io.kaflowsql.engine.internal.pipeline;

import io.kaflowsql.engine.api.PipelineDefinition;
import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.Suggestions;
import io.kaflowsql.engine.api.config.YamlNode;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SourcePlan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Rules that tie a pipeline's keys to its compiled query (ARCHITECTURE.md section 3). Collects every
 * problem, each located at the key that causes it.
 */
public final class PipelineValidator
{
    private final YamlNode root;
    private final PipelineDefinition definition;
    private final QueryPlan plan;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public PipelineValidator(YamlNode root, PipelineDefinition definition, QueryPlan plan)
    {
        this.root = requireNonNull(root, "root is null");
        this.definition = requireNonNull(definition, "definition is null");
        this.plan = requireNonNull(plan, "plan is null");
    }

    public List<ConfigProblem> validate()
    {
        Set<String> topics = new LinkedHashSet<>();
        plan.sources().forEach(source -> topics.add(source.topic()));
        checkDimensions(topics);
        checkOverrides(topics);
        checkOutput(topics);
        checkRequire();
        checkEventTableKeys();
        problems.addAll(new MetricsValidator(root, definition.metrics(), plan).validate());
        return List.copyOf(problems);
    }

    /** The driving column all event tables join on, if there are event tables. */
    public static Optional<String> partitionKey(PipelineDefinition definition, QueryPlan plan)
    {
        return plan.sources().stream()
                .filter(source -> !source.isDriving() && !definition.state().dimensions().contains(source.topic()))
                .map(source -> source.join().keyColumn())
                .findFirst();
    }

    private void checkDimensions(Set<String> topics)
    {
        List<YamlNode> entries = node("state", "dimensions").map(YamlNode::elements).orElse(List.of());
        for (YamlNode entry : entries) {
            String topic = entry.asString();
            if (!topics.contains(topic)) {
                problems.add(entry.problem("dimension '" + topic + "' is not a source of the query" + hint(topic, topics)));
            }
            else if (plan.driving().topic().equals(topic)) {
                problems.add(entry.problem("'" + topic + "' is the driving stream (the FROM table); it cannot also be a dimension"));
            }
        }
    }

    private void checkOverrides(Set<String> topics)
    {
        Optional<YamlNode> overrides = node("state", "events", "overrides");
        if (overrides.isEmpty()) {
            return;
        }
        for (Map.Entry<String, YamlNode> entry : overrides.get().entries().entrySet()) {
            String topic = entry.getKey();
            if (!topics.contains(topic)) {
                problems.add(entry.getValue().problem("TTL override for '" + topic + "', which is not a source of the query" + hint(topic, topics)));
            }
            else if (definition.state().dimensions().contains(topic)) {
                problems.add(entry.getValue().problem("'" + topic + "' is a dimension; dimensions never expire, so a TTL does not apply"));
            }
        }
    }

    private void checkOutput(Set<String> topics)
    {
        YamlNode output = root.required("output");
        if (topics.contains(definition.output().topic())) {
            problems.add(output.required("topic").problem("the output topic is also read by the query; that would loop"));
        }
        if (topics.contains(definition.output().deadLetterTopic())) {
            YamlNode at = output.get("dead_letter_topic").orElse(output.required("topic"));
            problems.add(at.problem("the dead-letter topic '" + definition.output().deadLetterTopic()
                    + "' is also read by the query; rejected records would come back; set output.dead_letter_topic to another topic"));
        }
        definition.output().key().ifPresent(key -> {
            if (!isOutputColumn(key)) {
                problems.add(output.required("key").problem("output key '" + key + "' is not a column of the SELECT list"
                        + hint(key, outputNames())));
            }
        });
    }

    private void checkRequire()
    {
        List<YamlNode> entries = node("emission", "require").map(YamlNode::elements).orElse(List.of());
        for (YamlNode entry : entries) {
            String column = entry.asString();
            if (!isOutputColumn(column)) {
                problems.add(entry.problem("required column '" + column + "' is not an output column" + hint(column, outputNames())));
            }
        }
    }

    private void checkEventTableKeys()
    {
        String partitionKey = null;
        for (SourcePlan source : plan.sources()) {
            if (source.isDriving() || definition.state().dimensions().contains(source.topic())) {
                continue;
            }
            YamlNode query = root.required("query");
            if (source.join().keySourceIndex() != 0) {
                problems.add(query.problem("event table '" + source.topic() + "' joins on " + source.join().lookupKeySql()
                        + ", which is not a column of the driving stream '" + plan.driving().alias() + "'. Event tables are partitioned "
                        + "like the driving stream, so they must join on a driving-stream column; list '" + source.topic()
                        + "' under state.dimensions if it is a dimension"));
                continue;
            }
            String key = source.join().keyColumn();
            if (partitionKey == null) {
                partitionKey = key;
            }
            else if (!partitionKey.equals(key)) {
                problems.add(query.problem("event tables must all join on the same driving-stream column (the partition key): '"
                        + source.topic() + "' joins on " + plan.driving().alias() + "." + key + " but an earlier one on "
                        + plan.driving().alias() + "." + partitionKey + ". Make one of them a dimension (state.dimensions)"));
            }
        }
    }

    private boolean isOutputColumn(String name)
    {
        return plan.hasStar() || outputNames().contains(name);
    }

    private Set<String> outputNames()
    {
        Set<String> names = new LinkedHashSet<>();
        for (OutputItem item : plan.outputs()) {
            if (item instanceof OutputItem.Column column) {
                names.add(column.name());
            }
        }
        return names;
    }

    static String hint(String word, Set<String> candidates)
    {
        return Suggestions.closest(word, candidates).map(best -> " (did you mean '" + best + "'?)")
                .orElse(candidates.isEmpty() ? "" : "; known: " + String.join(", ", candidates));
    }

    private Optional<YamlNode> node(String... path)
    {
        Optional<YamlNode> current = Optional.of(root);
        for (String key : path) {
            current = current.flatMap(node -> node.isMapping() ? node.get(key) : Optional.empty());
        }
        return current;
    }
}
