package io.kaflowsql.engine.api;

import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SourcePlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A validated pipeline with its compiled query: everything the runtime needs, computed once.
 * Immutable and thread-safe; obtained from {@link PipelineLoader}.
 */
public final class CompiledPipeline
{
    private final PipelineDefinition definition;
    private final QueryPlan plan;
    private final List<SourceInfo> sources;
    private final Optional<String> partitionKey;

    CompiledPipeline(PipelineDefinition definition, QueryPlan plan, Optional<String> partitionKey)
    {
        this.definition = requireNonNull(definition, "definition is null");
        this.plan = requireNonNull(plan, "plan is null");
        this.partitionKey = requireNonNull(partitionKey, "partitionKey is null");
        List<SourceInfo> infos = new ArrayList<>();
        for (SourcePlan source : plan.sources()) {
            SourceRole role = roleOf(source);
            Optional<String> joinOn = Optional.ofNullable(source.join())
                    .map(join -> join.lookupKeySql() + " = " + source.alias() + "." + join.joinColumn());
            Optional<Duration> ttl = role == SourceRole.DIMENSION ? Optional.empty() : Optional.of(definition.ttlOf(source.topic()));
            List<String> columns = new ArrayList<>(source.columns());
            if (source.keepAllColumns()) {
                columns.add("*");
            }
            infos.add(new SourceInfo(source.index(), source.topic(), source.alias(), role, joinOn, ttl, columns));
        }
        this.sources = List.copyOf(infos);
    }

    public String name()
    {
        return definition.name();
    }

    public PipelineDefinition definition()
    {
        return definition;
    }

    /** The compiled query. Engine-internal: other modules use the other accessors. */
    public QueryPlan plan()
    {
        return plan;
    }

    public List<SourceInfo> sources()
    {
        return sources;
    }

    public SourceInfo driving()
    {
        return sources.get(0);
    }

    public List<SourceInfo> sourcesWithRole(SourceRole role)
    {
        return sources.stream().filter(source -> source.role() == role).toList();
    }

    /**
     * The driving-stream column every event table joins on; the driving topic and the event tables
     * must be keyed (partitioned) by it. Empty when the pipeline has no event tables.
     */
    public Optional<String> partitionKey()
    {
        return partitionKey;
    }

    /** Topics whose partitions make up a task: the driving stream and every event table. */
    public List<String> partitionedTopics()
    {
        return sources.stream().filter(source -> source.role() != SourceRole.DIMENSION).map(SourceInfo::topic).distinct().toList();
    }

    public List<String> dimensionTopics()
    {
        return sourcesWithRole(SourceRole.DIMENSION).stream().map(SourceInfo::topic).distinct().toList();
    }

    public SourceRole roleOf(SourcePlan source)
    {
        if (source.isDriving()) {
            return SourceRole.DRIVING;
        }
        return definition.state().dimensions().contains(source.topic()) ? SourceRole.DIMENSION : SourceRole.EVENT_TABLE;
    }

    /** Human-readable compiled plan, as {@code kaflowsql validate} prints it. */
    public String describe()
    {
        StringBuilder text = new StringBuilder();
        text.append("pipeline ").append(name()).append('\n');
        text.append("  sources:\n");
        for (SourceInfo source : sources) {
            text.append("    ").append(source.index()).append(". ").append(source.topic());
            if (!source.alias().equals(source.topic())) {
                text.append(" AS ").append(source.alias());
            }
            text.append("  [").append(source.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(']');
            source.joinOn().ifPresent(on -> text.append("  ON ").append(on));
            source.ttl().ifPresent(ttl -> text.append("  ttl ").append(Durations.format(ttl)));
            text.append('\n');
            text.append("       columns read: ").append(String.join(", ", source.columns())).append('\n');
        }
        partitionKey.ifPresent(key -> text.append("  partition key: ").append(driving().alias()).append('.').append(key).append('\n'));
        text.append("  output: ").append(definition.output().topic())
                .append(" (").append(definition.output().format().yamlName())
                .append(", key ").append(definition.output().key().orElse("none")).append(")\n");
        text.append("  emission: ").append(definition.emission().type().name().toLowerCase(java.util.Locale.ROOT));
        if (definition.emission().isSmart()) {
            text.append(" require ").append(definition.emission().require())
                    .append(" on_timeout ").append(definition.emission().onTimeout().name().toLowerCase(java.util.Locale.ROOT));
        }
        text.append('\n');
        text.append("  output columns:\n");
        for (OutputItem item : plan.outputs()) {
            if (item instanceof OutputItem.Column column) {
                text.append("    ").append(column.name()).append(' ').append(column.type())
                        .append(column.nullable() ? "" : " NOT NULL").append('\n');
            }
            else if (item instanceof OutputItem.AllColumns all) {
                text.append("    * (every field of ").append(plan.sources().get(all.sourceIndex()).alias()).append(")\n");
            }
        }
        return text.toString();
    }

    /** Output column names known at compile time (a {@code *} adds names only known per record). */
    public List<String> outputColumnNames()
    {
        return plan.outputs().stream()
                .filter(OutputItem.Column.class::isInstance)
                .map(item -> ((OutputItem.Column) item).name())
                .toList();
    }
}
