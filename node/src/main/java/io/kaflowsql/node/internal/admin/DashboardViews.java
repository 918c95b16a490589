package io.kaflowsql.node.internal.admin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.coordinator.cluster.NodeStatus;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.internal.http.DashboardView;
import io.kaflowsql.protocol.admin.v1.AssignmentView;
import io.kaflowsql.protocol.admin.v1.ClusterStatus;
import io.kaflowsql.protocol.admin.v1.JoinStats;
import io.kaflowsql.protocol.admin.v1.NodeInfo;
import io.kaflowsql.protocol.admin.v1.PipelineDescription;
import io.kaflowsql.protocol.admin.v1.TaskAssignment;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Builds the dashboard's {@link DashboardView} from the admin API's own views ({@link ClusterViews},
 * {@link PipelineViews}, {@link PipelineRates}) in process, so the page and {@code kaflowsql admin} always show the
 * same figures; adds the latency quantiles of {@link PipelineLatency}.
 *
 * <p>Thread-safe. {@link #view()} asks every peer for its own status (as {@code kaflowsql admin status} does), so it
 * may block up to the peer deadline when a peer does not answer; callers should not call it on a hot path.
 */
public final class DashboardViews
{
    private final AdminContext context;
    private final PipelineRates rates;
    private final Function<NodeStatus, Optional<NodeInfo>> askPeer;
    private final PipelineLatency latency;
    private final Clock clock;

    DashboardViews(AdminContext context, PipelineRates rates, Function<NodeStatus, Optional<NodeInfo>> askPeer, Clock clock)
    {
        this.context = requireNonNull(context, "context is null");
        this.rates = requireNonNull(rates, "rates is null");
        this.askPeer = requireNonNull(askPeer, "askPeer is null");
        this.latency = new PipelineLatency(context.registry());
        this.clock = requireNonNull(clock, "clock is null");
    }

    public DashboardView view()
    {
        ClusterStatus cluster = ClusterViews.cluster(context, askPeer);
        List<DashboardView.Node> nodes = cluster.getNodesList().stream().map(DashboardViews::node).toList();
        return new DashboardView(cluster.getClusterName(), cluster.getAnsweredBy(), cluster.getClustered(), cluster.getLeaderNodeId(), clock.millis(),
                nodes, assignment(ClusterViews.assignment(context)), pipelines());
    }

    private static DashboardView.Node node(NodeInfo node)
    {
        return new DashboardView.Node(node.getNodeId(), node.getLifecycle(), node.getVersion(), node.getAddress(), node.getLeader(), node.getReachable(),
                node.getLag(), node.getOwnedTasksList(), node.getStandbyTasksList());
    }

    private static DashboardView.Assignment assignment(AssignmentView view)
    {
        List<DashboardView.Task> tasks = new ArrayList<>();
        for (TaskAssignment task : view.getTasksList()) {
            tasks.add(new DashboardView.Task(task.getTask(), task.getOwner(), task.getStandbysList()));
        }
        return new DashboardView.Assignment(view.getGeneration(), view.getLeaderNodeId(), view.getMembersList(), tasks);
    }

    private List<DashboardView.Pipeline> pipelines()
    {
        List<DashboardView.Pipeline> pipelines = new ArrayList<>();
        for (PipelineRuntime runtime : context.runtimes()) {
            String name = runtime.pipeline().name();
            PipelineDescription description;
            try {
                description = PipelineViews.describe(context, rates, name);
            }
            catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    continue; // deleted since the list was read
                }
                throw e;
            }
            pipelines.add(pipeline(description, latency.endToEnd(name), latency.processing(name)));
        }
        return pipelines;
    }

    private static DashboardView.Pipeline pipeline(PipelineDescription description, DashboardView.Latency endToEnd, DashboardView.Latency processing)
    {
        List<DashboardView.Join> joins = new ArrayList<>();
        for (JoinStats join : description.getJoinsList()) {
            Double hitRate = Double.isFinite(join.getHitRate()) ? join.getHitRate() : null;
            joins.add(new DashboardView.Join(join.getSource(), join.getRole(), join.getLookups(), join.getHits(), hitRate));
        }
        return new DashboardView.Pipeline(description.getPipeline(), description.getNodeId(), description.getState(), description.getSource(),
                description.getOwnedPartitionsList(), description.getRecordsIn(), description.getRecordsOut(), description.getRecordsInPerSecond(),
                description.getRecordsOutPerSecond(), description.getLag(), description.getFiltered(), description.getRejected(), description.getHeldNow(),
                description.getHeldTotal(), description.getReleasedTotal(), endToEnd, processing, joins);
    }
}
