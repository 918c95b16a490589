package io.kaflowsql.engine.internal.pipeline;

import io.kaflowsql.engine.api.EmissionSpec;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputSpec;
import io.kaflowsql.engine.api.PipelineDefinition;
import io.kaflowsql.engine.api.StateSpec;
import io.kaflowsql.engine.api.config.YamlNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a pipeline YAML document into a {@link PipelineDefinition}: the grammar (keys, types, units).
 * Unknown keys are errors. Cross-field rules that need the compiled query live in {@link PipelineValidator}.
 */
public final class PipelineReader
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** Kafka's legal topic names (and not "." or "..", which the length-1/2 forms of the dots would allow). */
    private static final Pattern TOPIC = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,249}");

    private PipelineReader() {}

    public static PipelineDefinition read(YamlNode root)
    {
        root.requireOnlyKeys(List.of("name", "window", "query", "output", "emission", "state", "metrics"));
        YamlNode nameNode = root.required("name");
        String name = nameNode.asString().trim();
        if (!NAME.matcher(name).matches()) {
            throw nameNode.error("pipeline names use letters, digits, '_', '.' and '-' (it names topics and transactional ids), got '" + name + "'");
        }
        Optional<Duration> window = root.get("window").map(node -> positive(node, node.asDuration()));
        YamlNode queryNode = root.required("query");
        String query = queryNode.asString();
        if (query.isBlank()) {
            throw queryNode.error("the query is empty");
        }
        return new PipelineDefinition(name, window, query, output(root.required("output")),
                root.get("emission").map(PipelineReader::emission).orElse(EmissionSpec.DEFAULT),
                root.get("state").map(PipelineReader::state).orElse(StateSpec.EMPTY),
                root.get("metrics").map(MetricsReader::read).orElse(List.of()));
    }

    private static OutputSpec output(YamlNode node)
    {
        node.requireOnlyKeys(List.of("topic", "format", "key", "schema", "dead_letter_topic"));
        String topic = node.required("topic").asString().trim();
        OutputFormat format = node.get("format")
                .map(formatNode -> OutputFormat.parse(formatNode.asString())
                        .orElseThrow(() -> formatNode.error("format is json or avro, got '" + formatNode.asString() + "'")))
                .orElse(OutputFormat.JSON);
        String deadLetterTopic = node.get("dead_letter_topic")
                .map(dlqNode -> deadLetterTopic(dlqNode, topic))
                .orElse(OutputSpec.defaultDeadLetterTopic(topic));
        return new OutputSpec(topic, format, node.get("key").map(key -> key.asString().trim()), node.get("schema").map(YamlNode::asString),
                deadLetterTopic);
    }

    private static String deadLetterTopic(YamlNode node, String outputTopic)
    {
        String topic = node.asString().trim();
        if (!TOPIC.matcher(topic).matches()) {
            throw node.error("a topic name uses 1 to 249 letters, digits, '.', '_' and '-', got '" + topic + "'");
        }
        if (topic.equals(outputTopic)) {
            throw node.error("the dead-letter topic must differ from the output topic '" + outputTopic
                    + "'; remove the key to use '" + OutputSpec.defaultDeadLetterTopic(outputTopic) + "'");
        }
        return topic;
    }

    private static EmissionSpec emission(YamlNode node)
    {
        node.requireOnlyKeys(List.of("type", "require", "on_timeout"));
        EmissionSpec.Type type = node.get("type").map(typeNode -> switch (typeNode.asString().trim().toLowerCase(Locale.ROOT)) {
            case "immediate" -> EmissionSpec.Type.IMMEDIATE;
            case "smart" -> EmissionSpec.Type.SMART;
            default -> throw typeNode.error("emission type is immediate or smart, got '" + typeNode.asString() + "'");
        }).orElse(EmissionSpec.Type.IMMEDIATE);
        List<String> require = node.get("require").map(YamlNode::asStringList).orElse(List.of());
        EmissionSpec.OnTimeout onTimeout = node.get("on_timeout").map(timeoutNode -> switch (timeoutNode.asString().trim().toLowerCase(Locale.ROOT)) {
            case "drop" -> EmissionSpec.OnTimeout.DROP;
            case "emit", "emit_partial" -> EmissionSpec.OnTimeout.EMIT;
            default -> throw timeoutNode.error("on_timeout is drop or emit, got '" + timeoutNode.asString() + "'");
        }).orElse(EmissionSpec.OnTimeout.DROP);
        if (type == EmissionSpec.Type.SMART && require.isEmpty()) {
            throw node.error("smart emission needs 'require': the output columns that must be non-NULL before a record is emitted");
        }
        if (type == EmissionSpec.Type.IMMEDIATE && !require.isEmpty()) {
            throw node.required("require").error("'require' only applies to emission type smart; set 'type: smart' or remove it");
        }
        return new EmissionSpec(type, require, onTimeout);
    }

    private static StateSpec state(YamlNode node)
    {
        node.requireOnlyKeys(List.of("events", "dimensions"));
        Optional<Duration> defaultTtl = Optional.empty();
        Map<String, Duration> overrides = new LinkedHashMap<>();
        Optional<YamlNode> events = node.get("events");
        if (events.isPresent()) {
            events.get().requireOnlyKeys(List.of("default_ttl", "overrides"));
            defaultTtl = events.get().get("default_ttl").map(ttl -> positive(ttl, ttl.asDuration()));
            Optional<YamlNode> overridesNode = events.get().get("overrides");
            if (overridesNode.isPresent()) {
                overridesNode.get().entries().forEach((topic, ttl) -> overrides.put(topic, positive(ttl, ttl.asDuration())));
            }
        }
        List<String> dimensions = node.get("dimensions").map(YamlNode::asStringList).orElse(List.of());
        return new StateSpec(defaultTtl, overrides, dimensions);
    }

    private static Duration positive(YamlNode node, Duration duration)
    {
        if (duration.isZero() || duration.isNegative()) {
            throw node.error("a duration here must be positive");
        }
        return duration;
    }
}
