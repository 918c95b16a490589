package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.internal.deadletter.DeadLetters;
import io.kaflowsql.engine.internal.metrics.PipelineMeters;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import io.kaflowsql.protocol.Format;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Makes the (closed) {@link StreamTask} of one partition of a pipeline: its producer factory (transactional
 * id {@code <cluster>-<pipeline>-<partition>} under exactly-once), its checkpoints directory and its wiring
 * to the pipeline's shared dimensions, metrics and formats.
 *
 * <p>Thread-safe (immutable); the tasks it makes are not.
 */
final class TaskFactory
{
    private final CompiledPipeline pipeline;
    private final RuntimeSettings settings;
    private final ClientFactory clients;
    private final DimensionTable[] dimensions;
    private final PipelineMetrics metrics;
    private final PipelineFormats formats;
    private final PipelineMeters meters;
    private final OutputObserver observer;
    private final List<String> inputTopics;
    private final DeadLetters deadLetters;
    private final String changelogTopic;
    private final String groupId;
    private final boolean transactional;

    TaskFactory(CompiledPipeline pipeline, RuntimeSettings settings, ClientFactory clients, DimensionTable[] dimensions, PipelineMetrics metrics,
            PipelineFormats formats, PipelineMeters meters, OutputObserver observer, List<String> inputTopics)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.dimensions = requireNonNull(dimensions, "dimensions is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.formats = requireNonNull(formats, "formats is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.observer = requireNonNull(observer, "observer is null");
        this.inputTopics = List.copyOf(requireNonNull(inputTopics, "inputTopics is null"));
        this.deadLetters = DeadLetters.of(pipeline);
        this.changelogTopic = TopicLayout.changelogTopic(settings.clusterName(), pipeline);
        this.groupId = settings.consumerGroup() + "-" + pipeline.name();
        this.transactional = settings.guarantee() == ProcessingGuarantee.EXACTLY_ONCE;
    }

    StreamTask create(int partition)
    {
        String taskName = pipeline.name() + "-" + partition;
        Optional<String> transactionalId = transactional ? Optional.of(settings.clusterName() + "-" + taskName) : Optional.empty();
        return new StreamTask(pipeline, partition, dimensions, metrics, formats,
                () -> new TaskProducer(taskName, clients.taskProducer(groupId + "-" + partition, transactionalId), transactional, changelogTopic,
                        settings.clock()::millis, clients.transactionTimeoutMillis(), () -> settings.formats().write(Format.CHANGELOG)),
                deadLetters, changelogTopic,
                new TaskCheckpoints(StreamThread.taskDir(settings.stateDir(), pipeline.name(), partition), settings.checkpoints().keep(), settings.formats()),
                settings.checkpoints().interval().toMillis(), settings.clock(), inputTopics, meters, observer);
    }
}
