package io.kaflowsql.node.internal.admin;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.SourceInfo;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.protocol.admin.v1.JoinStats;
import io.kaflowsql.protocol.admin.v1.ListPipelinesResponse;
import io.kaflowsql.protocol.admin.v1.PipelineDescription;
import io.kaflowsql.protocol.admin.v1.PipelineProblem;
import io.kaflowsql.protocol.admin.v1.PipelineProblems;
import io.kaflowsql.protocol.admin.v1.PipelineSummary;
import io.kaflowsql.protocol.admin.v1.ValidatePipelineResponse;

import java.util.Locale;
import java.util.TreeSet;

/**
 * Translates pipelines (compiled plans, runtimes, their counters) into the admin API's messages, and compile errors
 * into {@code INVALID_ARGUMENT} carrying every problem with its file, line and column. Thread-safe.
 */
final class PipelineViews
{
    /** Trailer of {@code INVALID_ARGUMENT} for a bad pipeline. */
    static final Metadata.Key<PipelineProblems> PROBLEMS = ProtoUtils.keyForProto(PipelineProblems.getDefaultInstance());
    private static final String DEFAULT_FILE_NAME = "pipeline.yaml";

    private PipelineViews() {}

    /** Compiles {@code yaml}; a bad pipeline throws {@code INVALID_ARGUMENT} with its problems in the trailers. */
    static ValidatePipelineResponse validate(String yaml, String fileName)
    {
        CompiledPipeline pipeline = compile(yaml, fileName);
        return ValidatePipelineResponse.newBuilder().setPipeline(pipeline.name()).setPlan(pipeline.describe()).build();
    }

    static CompiledPipeline compile(String yaml, String fileName)
    {
        String file = fileName.isBlank() ? DEFAULT_FILE_NAME : fileName;
        if (yaml.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription(file + ": the pipeline is empty: send the YAML text of a pipeline").asRuntimeException();
        }
        try {
            return new PipelineLoader().load(yaml, file);
        }
        catch (ConfigurationException e) {
            throw invalid(e);
        }
    }

    static StatusRuntimeException invalid(ConfigurationException e)
    {
        PipelineProblems.Builder problems = PipelineProblems.newBuilder();
        for (ConfigProblem problem : e.problems()) {
            problems.addProblems(PipelineProblem.newBuilder()
                    .setFile(problem.file())
                    .setLine(problem.line())
                    .setColumn(problem.column())
                    .setKey(problem.key())
                    .setMessage(problem.message()));
        }
        Metadata trailers = new Metadata();
        trailers.put(PROBLEMS, problems.build());
        return Status.INVALID_ARGUMENT.withDescription("invalid pipeline:\n" + e.getMessage()).asRuntimeException(trailers);
    }

    static ListPipelinesResponse list(AdminContext context)
    {
        ListPipelinesResponse.Builder list = ListPipelinesResponse.newBuilder().setNodeId(context.nodeId());
        for (PipelineRuntime runtime : context.runtimes()) {
            CompiledPipeline pipeline = runtime.pipeline();
            list.addPipelines(PipelineSummary.newBuilder()
                    .setPipeline(pipeline.name())
                    .setState(state(runtime))
                    .setSource(source(context, pipeline.name()))
                    .setOutputTopic(pipeline.definition().output().topic())
                    .addAllOwnedPartitions(new TreeSet<>(runtime.ownedPartitions()))
                    .setRecordsIn(PipelineRates.recordsIn(runtime.metrics()))
                    .setRecordsOut(runtime.metrics().recordsOut()));
        }
        return list.build();
    }

    /** The runtime's state, or PAUSED (PAUSING until in force) while a running pipeline is paused. */
    static String state(PipelineRuntime runtime)
    {
        if (runtime.pauseRequested() && runtime.state() == PipelineRuntime.State.RUNNING) {
            return runtime.isPaused() ? "PAUSED" : "PAUSING";
        }
        return runtime.state().name();
    }

    private static String source(AdminContext context, String pipeline)
    {
        return context.pipelines().source(pipeline).map(source -> source.name().toLowerCase(Locale.ROOT)).orElse("");
    }

    /** The plan and live figures of {@code name} on this node; {@code NOT_FOUND} naming the pipelines it runs otherwise. */
    static PipelineDescription describe(AdminContext context, PipelineRates rates, String name)
    {
        PipelineRuntime runtime = context.runtime(name).orElseThrow(() -> Status.NOT_FOUND
                .withDescription("no pipeline '" + name + "' on node " + context.nodeId() + "; it runs: "
                        + context.runtimes().stream().map(each -> each.pipeline().name()).sorted().toList() + " (see `kaflowsql admin pipelines`)")
                .asRuntimeException());
        PipelineMetrics metrics = runtime.metrics();
        PipelineRates.Rate rate = rates.rate(name);
        PipelineDescription.Builder description = PipelineDescription.newBuilder()
                .setPipeline(name)
                .setNodeId(context.nodeId())
                .setState(state(runtime))
                .setSource(source(context, name))
                .setPlan(runtime.pipeline().describe())
                .addAllOwnedPartitions(new TreeSet<>(runtime.ownedPartitions()))
                .setLag(context.gaugeSum(AdminContext.CONSUMER_LAG, name))
                .setRecordsIn(PipelineRates.recordsIn(metrics))
                .setRecordsOut(metrics.recordsOut())
                .setRecordsInPerSecond(rate.inPerSecond())
                .setRecordsOutPerSecond(rate.outPerSecond())
                .setFiltered(metrics.filteredOut())
                .setRejected(metrics.rejectedTotal())
                .setHeldNow(context.gaugeSum(AdminContext.HELD_RECORDS, name))
                .setHeldTotal(metrics.heldCount())
                .setReleasedTotal(metrics.releasedCount())
                .setCheckpoints(metrics.checkpointCount());
        for (SourceInfo source : metrics.sources()) {
            if (source.role() == SourceRole.DRIVING) {
                continue; // the driving stream is not joined
            }
            description.addJoins(JoinStats.newBuilder()
                    .setSource(source.topic())
                    .setRole(source.role().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .setLookups(metrics.lookups(source.index()))
                    .setHits(metrics.hits(source.index()))
                    .setHitRate(metrics.hitRate(source.index())));
        }
        return description.build();
    }
}
