package io.kaflowsql.node.internal.admin;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.AssignmentView;
import io.kaflowsql.protocol.admin.v1.CheckpointNowRequest;
import io.kaflowsql.protocol.admin.v1.CheckpointNowResponse;
import io.kaflowsql.protocol.admin.v1.ClusterStatus;
import io.kaflowsql.protocol.admin.v1.DeployPipelineRequest;
import io.kaflowsql.protocol.admin.v1.DescribePipelineRequest;
import io.kaflowsql.protocol.admin.v1.DrainNodeRequest;
import io.kaflowsql.protocol.admin.v1.DrainProgress;
import io.kaflowsql.protocol.admin.v1.GetAssignmentRequest;
import io.kaflowsql.protocol.admin.v1.GetClusterStatusRequest;
import io.kaflowsql.protocol.admin.v1.ListPipelinesRequest;
import io.kaflowsql.protocol.admin.v1.ListPipelinesResponse;
import io.kaflowsql.protocol.admin.v1.PipelineChangeResponse;
import io.kaflowsql.protocol.admin.v1.PipelineDescription;
import io.kaflowsql.protocol.admin.v1.PipelineRef;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceRequest;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceResponse;
import io.kaflowsql.protocol.admin.v1.ValidatePipelineRequest;
import io.kaflowsql.protocol.admin.v1.ValidatePipelineResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The admin API's gRPC handlers: each translates its request, delegates (to {@link ClusterViews},
 * {@link PipelineViews}, {@link PipelineCatalog} or {@link NodeActions}) and translates the answer or the failure
 * into a status code. Thread-safe.
 */
final class AdminService
        extends AdminGrpc.AdminImplBase
{
    private static final Logger log = LoggerFactory.getLogger(AdminService.class);
    /** Set on a call another node forwarded here: such a call is answered here, never forwarded again. */
    static final Context.Key<String> FORWARDED_BY = Context.key("kaflowsql-forwarded-by");

    private final AdminContext context;
    private final PipelineRates rates;
    private final PipelineCatalog catalog;
    private final NodeActions actions;

    AdminService(AdminContext context, PipelineRates rates, PipelineCatalog catalog, NodeActions actions)
    {
        this.context = requireNonNull(context, "context is null");
        this.rates = requireNonNull(rates, "rates is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.actions = requireNonNull(actions, "actions is null");
    }

    @Override
    public void getClusterStatus(GetClusterStatusRequest request, StreamObserver<ClusterStatus> response)
    {
        respond(response, () -> request.getLocalOnly()
                ? ClusterStatus.newBuilder().setClusterName(context.clusterName()).setAnsweredBy(context.nodeId())
                        .setClustered(context.membership().get().isPresent()).addNodes(ClusterViews.localNode(context)).build()
                : ClusterViews.cluster(context, actions::askNode));
    }

    @Override
    public void getAssignment(GetAssignmentRequest request, StreamObserver<AssignmentView> response)
    {
        respond(response, () -> ClusterViews.assignment(context));
    }

    @Override
    public void validatePipeline(ValidatePipelineRequest request, StreamObserver<ValidatePipelineResponse> response)
    {
        respond(response, () -> PipelineViews.validate(request.getYaml(), request.getFileName()));
    }

    @Override
    public void listPipelines(ListPipelinesRequest request, StreamObserver<ListPipelinesResponse> response)
    {
        respond(response, () -> PipelineViews.list(context));
    }

    @Override
    public void describePipeline(DescribePipelineRequest request, StreamObserver<PipelineDescription> response)
    {
        respond(response, () -> PipelineViews.describe(context, rates, pipelineName(request.getPipeline())));
    }

    @Override
    public void deployPipeline(DeployPipelineRequest request, StreamObserver<PipelineChangeResponse> response)
    {
        respond(response, () -> {
            var pipeline = PipelineViews.compile(request.getYaml(), request.getFileName());
            return changed(pipeline.name(), catalog.deploy(pipeline, request.getYaml()));
        });
    }

    @Override
    public void pausePipeline(PipelineRef request, StreamObserver<PipelineChangeResponse> response)
    {
        respond(response, () -> changed(request.getPipeline(), catalog.pause(pipelineName(request.getPipeline()))));
    }

    @Override
    public void resumePipeline(PipelineRef request, StreamObserver<PipelineChangeResponse> response)
    {
        respond(response, () -> changed(request.getPipeline(), catalog.resume(pipelineName(request.getPipeline()))));
    }

    @Override
    public void deletePipeline(PipelineRef request, StreamObserver<PipelineChangeResponse> response)
    {
        respond(response, () -> changed(request.getPipeline(), catalog.delete(pipelineName(request.getPipeline()))));
    }

    @Override
    public void drainNode(DrainNodeRequest request, StreamObserver<DrainProgress> response)
    {
        try {
            actions.drain(request, response);
        }
        catch (RuntimeException e) {
            response.onError(toStatus(e));
        }
    }

    @Override
    public void triggerRebalance(TriggerRebalanceRequest request, StreamObserver<TriggerRebalanceResponse> response)
    {
        respond(response, actions::rebalance);
    }

    @Override
    public void checkpointNow(CheckpointNowRequest request, StreamObserver<CheckpointNowResponse> response)
    {
        respond(response, () -> actions.checkpoint(request.getAllNodes()));
    }

    private static String pipelineName(String name)
    {
        if (name.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("no pipeline named: give the pipeline's name (see `kaflowsql admin pipelines`)").asRuntimeException();
        }
        return name;
    }

    private static PipelineChangeResponse changed(String pipeline, String message)
    {
        return PipelineChangeResponse.newBuilder().setPipeline(pipeline).setMessage(message).build();
    }

    private static <T> void respond(StreamObserver<T> response, Supplier<T> answer)
    {
        T value;
        try {
            value = answer.get();
        }
        catch (RuntimeException e) {
            response.onError(toStatus(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    static StatusRuntimeException toStatus(RuntimeException e)
    {
        if (e instanceof StatusRuntimeException status) {
            return status;
        }
        log.warn("Admin call failed", e);
        return Status.INTERNAL.withDescription("the node failed to answer: " + e + " (see the node's log)").withCause(e).asRuntimeException();
    }

    /** Puts the {@value PeerChannels#FORWARDED_BY_HEADER} header of a call into its {@link Context}. */
    static final class ForwardedHeader
            implements ServerInterceptor
    {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next)
        {
            String forwardedBy = headers.get(PeerChannels.FORWARDED_BY);
            if (forwardedBy == null) {
                return next.startCall(call, headers);
            }
            return Contexts.interceptCall(Context.current().withValue(FORWARDED_BY, forwardedBy), call, headers, next);
        }
    }
}
