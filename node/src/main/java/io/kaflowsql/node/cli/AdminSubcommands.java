package io.kaflowsql.node.cli;

import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.CheckpointNowRequest;
import io.kaflowsql.protocol.admin.v1.DeployPipelineRequest;
import io.kaflowsql.protocol.admin.v1.DescribePipelineRequest;
import io.kaflowsql.protocol.admin.v1.DrainNodeRequest;
import io.kaflowsql.protocol.admin.v1.DrainProgress;
import io.kaflowsql.protocol.admin.v1.GetAssignmentRequest;
import io.kaflowsql.protocol.admin.v1.GetClusterStatusRequest;
import io.kaflowsql.protocol.admin.v1.JoinStats;
import io.kaflowsql.protocol.admin.v1.ListPipelinesRequest;
import io.kaflowsql.protocol.admin.v1.NodeCheckpoints;
import io.kaflowsql.protocol.admin.v1.NodeInfo;
import io.kaflowsql.protocol.admin.v1.PipelineChangeResponse;
import io.kaflowsql.protocol.admin.v1.PipelineRef;
import io.kaflowsql.protocol.admin.v1.PipelineSummary;
import io.kaflowsql.protocol.admin.v1.TaskAssignment;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceRequest;
import io.kaflowsql.protocol.admin.v1.ValidatePipelineRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The subcommands of {@code kaflowsql admin}, one per admin call, each with its table rendering. */
final class AdminSubcommands
{
    private AdminSubcommands() {}

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Nodes of the cluster: lifecycle, version, tasks, lag.")
    static final class Status
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call()
        {
            return admin.call(stub -> stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance()), status -> {
                PrintWriter out = admin.out();
                out.printf("cluster %s (%s), leader %s, assignment generation %d, answered by %s%n", status.getClusterName(),
                        status.getClustered() ? "clustered" : "standalone", status.getLeaderNodeId(), status.getAssignmentGeneration(), status.getAnsweredBy());
                TextTable table = new TextTable("NODE", "ADDRESS", "STATE", "LEADER", "VERSION", "PROTOCOL", "TASKS", "STANDBYS", "LAG");
                for (NodeInfo node : status.getNodesList()) {
                    table.row(node.getNodeId(), node.getAddress(), node.getLifecycle(), node.getLeader() ? "*" : "",
                            node.getReachable() ? node.getVersion() : "unreachable", node.getReachable() ? node.getProtocolVersion() : "-",
                            node.getOwnedTasksCount(), node.getStandbyTasksCount(), node.getReachable() ? node.getLag() : "-");
                }
                table.print(out);
                if (!status.getEffectiveFormatsMap().isEmpty()) {
                    out.printf("format versions written: %s%n", new java.util.TreeMap<>(status.getEffectiveFormatsMap()));
                }
            });
        }
    }

    @Command(name = "assignment", mixinStandardHelpOptions = true, description = "Owner and standbys of every task.")
    static final class Assignment
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call()
        {
            return admin.call(stub -> stub.getAssignment(GetAssignmentRequest.getDefaultInstance()), view -> {
                admin.out().printf("generation %d, leader %s, members %s%n", view.getGeneration(), view.getLeaderNodeId(), view.getMembersList());
                TextTable table = new TextTable("TASK", "OWNER", "STANDBYS");
                for (TaskAssignment task : view.getTasksList()) {
                    table.row(task.getTask(), task.getOwner().isEmpty() ? "(none)" : task.getOwner(), String.join(",", task.getStandbysList()));
                }
                table.print(admin.out());
            });
        }
    }

    @Command(name = "pipelines", mixinStandardHelpOptions = true, description = "Pipelines running on the node asked.")
    static final class Pipelines
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call()
        {
            return admin.call(stub -> stub.listPipelines(ListPipelinesRequest.getDefaultInstance()), list -> {
                TextTable table = new TextTable("PIPELINE", "STATE", "SOURCE", "OUTPUT", "PARTITIONS", "IN", "OUT");
                for (PipelineSummary pipeline : list.getPipelinesList()) {
                    table.row(pipeline.getPipeline(), pipeline.getState(), pipeline.getSource(), pipeline.getOutputTopic(), pipeline.getOwnedPartitionsList(),
                            pipeline.getRecordsIn(), pipeline.getRecordsOut());
                }
                table.print(admin.out());
            });
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Plan, lag, throughput, join hit rates and held records of a pipeline.")
    static final class Describe
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Override
        public Integer call()
        {
            return admin.call(stub -> stub.describePipeline(DescribePipelineRequest.newBuilder().setPipeline(pipeline).build()), description -> {
                PrintWriter out = admin.out();
                out.printf("%s on node %s: %s (%s pipeline), partitions %s%n", description.getPipeline(), description.getNodeId(), description.getState(),
                        description.getSource(), description.getOwnedPartitionsList());
                out.printf("records in %d (%.1f/s), out %d (%.1f/s), filtered %d, rejected %d, lag %d%n", description.getRecordsIn(),
                        description.getRecordsInPerSecond(), description.getRecordsOut(), description.getRecordsOutPerSecond(), description.getFiltered(),
                        description.getRejected(), description.getLag());
                out.printf("held now %d (held %d, released %d in all), checkpoints %d%n", description.getHeldNow(), description.getHeldTotal(),
                        description.getReleasedTotal(), description.getCheckpoints());
                TextTable joins = new TextTable("JOINED", "ROLE", "LOOKUPS", "HITS", "HIT RATE");
                for (JoinStats join : description.getJoinsList()) {
                    joins.row(join.getSource(), join.getRole(), join.getLookups(), join.getHits(),
                            Double.isNaN(join.getHitRate()) ? "-" : String.format(Locale.ROOT, "%.1f%%", join.getHitRate() * 100));
                }
                joins.print(out);
                out.print(description.getPlan());
            });
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Compile a pipeline file on the node: its plan, or every error.")
    static final class Validate
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call()
        {
            String yaml = read(admin, file);
            if (yaml == null) {
                return AdminCommand.USAGE;
            }
            return admin.call(stub -> stub.validatePipeline(ValidatePipelineRequest.newBuilder().setYaml(yaml).setFileName(file.toString()).build()),
                    valid -> {
                        admin.out().println(file + ": OK");
                        admin.out().print(valid.getPlan());
                    });
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deploy (add or replace) a pipeline file in the cluster's catalog.")
    static final class Deploy
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call()
        {
            String yaml = read(admin, file);
            if (yaml == null) {
                return AdminCommand.USAGE;
            }
            return admin.call(stub -> stub.deployPipeline(DeployPipelineRequest.newBuilder().setYaml(yaml).setFileName(file.toString()).build()),
                    done -> admin.out().println(done.getPipeline() + ": " + done.getMessage()));
        }
    }

    /** A change to one named pipeline (pause, resume, delete): the same argument, call shape and output. */
    abstract static class PipelineChange
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        abstract PipelineChangeResponse send(AdminGrpc.AdminBlockingStub stub, PipelineRef pipeline);

        @Override
        public Integer call()
        {
            PipelineRef ref = PipelineRef.newBuilder().setPipeline(pipeline).build();
            return admin.call(stub -> send(stub, ref), done -> admin.out().println(done.getPipeline() + ": " + done.getMessage()));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a pipeline on every node.")
    static final class Pause
            extends PipelineChange
    {
        @Override
        PipelineChangeResponse send(AdminGrpc.AdminBlockingStub stub, PipelineRef pipeline)
        {
            return stub.pausePipeline(pipeline);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused pipeline.")
    static final class Resume
            extends PipelineChange
    {
        @Override
        PipelineChangeResponse send(AdminGrpc.AdminBlockingStub stub, PipelineRef pipeline)
        {
            return stub.resumePipeline(pipeline);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a pipeline from the cluster.")
    static final class Delete
            extends PipelineChange
    {
        @Override
        PipelineChangeResponse send(AdminGrpc.AdminBlockingStub stub, PipelineRef pipeline)
        {
            return stub.deletePipeline(pipeline);
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Move a node's tasks to the others and wait until it can be stopped (progress every second).")
    static final class Drain
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "NODE", arity = "0..1", description = "cluster.node-id of the node to drain (default: the node asked).")
        String node;

        @Option(names = "--wait", defaultValue = "60", paramLabel = "SECONDS", description = "How long the node waits for its tasks to move. Default: ${DEFAULT-VALUE}.")
        long waitSeconds;

        @Override
        public Integer call()
        {
            DrainNodeRequest request = DrainNodeRequest.newBuilder().setNodeId(node == null ? "" : node).setTimeoutMillis(TimeUnit.SECONDS.toMillis(waitSeconds)).build();
            return admin.withStub(stub -> {
                Iterator<DrainProgress> progress = stub.withDeadlineAfter(waitSeconds + 60, TimeUnit.SECONDS).drainNode(request);
                DrainProgress last = null;
                while (progress.hasNext()) {
                    last = progress.next();
                    if (admin.json()) {
                        admin.out().println(ProtoJson.writeLine(last));
                    }
                    else {
                        admin.out().printf("%s %s: %s%s%n", last.getNodeId(), last.getLifecycle(), last.getMessage(),
                                last.getOwnedTasksCount() == 0 ? "" : " " + last.getOwnedTasksList());
                    }
                    admin.out().flush();
                }
                return last != null && last.getCanStop() ? AdminCommand.OK : AdminCommand.NOT_DRAINED;
            });
        }
    }

    @Command(name = "rebalance", mixinStandardHelpOptions = true, description = "Ask the leader to recompute the assignment now.")
    static final class Rebalance
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call()
        {
            return admin.call(stub -> stub.triggerRebalance(TriggerRebalanceRequest.getDefaultInstance()),
                    done -> admin.out().printf("leader %s: %s (generation %d -> %d)%n", done.getLeaderNodeId(), done.getMessage(),
                            done.getGenerationBefore(), done.getGenerationAfter()));
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Every open task commits and writes a checkpoint now.")
    static final class Checkpoint
            implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Option(names = "--all", description = "On every node of the cluster (default: the node asked).")
        boolean all;

        @Override
        public Integer call()
        {
            int[] failed = {0};
            int code = admin.call(stub -> stub.checkpointNow(CheckpointNowRequest.newBuilder().setAllNodes(all).build()), done -> {
                TextTable table = new TextTable("NODE", "TASKS CHECKPOINTED", "ERROR");
                for (NodeCheckpoints node : done.getNodesList()) {
                    table.row(node.getNodeId(), node.getTasksList().isEmpty() ? "(none open)" : String.join(",", node.getTasksList()), node.getError());
                    failed[0] += node.getError().isEmpty() ? 0 : 1;
                }
                table.print(admin.out());
            });
            return code == AdminCommand.OK && failed[0] > 0 ? AdminCommand.UNAVAILABLE : code;
        }
    }

    /** The file's text, or null after printing why it cannot be read. */
    private static String read(AdminCommand admin, Path file)
    {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            admin.err().println(file + ": cannot read the pipeline file (" + e.getMessage() + ")");
            admin.err().flush();
            return null;
        }
    }
}
