package io.kaflowsql.chaos;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kaflowsql.node.internal.admin.BearerToken;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.ClusterStatus;
import io.kaflowsql.protocol.admin.v1.DrainNodeRequest;
import io.kaflowsql.protocol.admin.v1.DrainProgress;
import io.kaflowsql.protocol.admin.v1.GetClusterStatusRequest;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The calls the cluster tests make to a node's admin API, with a real gRPC client and the harness's token: drain a
 * node (the first step of a planned stop) and read the cluster status. Stateless; thread-safe.
 */
final class AdminClient
{
    private AdminClient() {}

    /** Drains {@code node-<number>} through its own admin API; returns the last progress message, or null if none came. */
    static DrainProgress drain(ClusterHarness cluster, int number, Duration timeout)
    {
        String nodeId = "node-" + number;
        return call(cluster, number, stub -> {
            Iterator<DrainProgress> progress = stub.withDeadlineAfter(timeout.toSeconds() + 60, TimeUnit.SECONDS)
                    .drainNode(DrainNodeRequest.newBuilder().setNodeId(nodeId).setTimeoutMillis(timeout.toMillis()).build());
            DrainProgress last = null;
            while (progress.hasNext()) {
                last = progress.next();
            }
            return last;
        });
    }

    static ClusterStatus clusterStatus(ClusterHarness cluster, int number)
    {
        return call(cluster, number, stub -> stub.withDeadlineAfter(30, TimeUnit.SECONDS).getClusterStatus(GetClusterStatusRequest.getDefaultInstance()));
    }

    private static <T> T call(ClusterHarness cluster, int number, Function<AdminGrpc.AdminBlockingStub, T> call)
    {
        ManagedChannel channel = Grpc.newChannelBuilder(cluster.adminAddress(number), InsecureChannelCredentials.create())
                .intercept(new BearerToken(ClusterHarness.ADMIN_TOKEN))
                .build();
        try {
            return call.apply(AdminGrpc.newBlockingStub(channel));
        }
        finally {
            channel.shutdownNow();
        }
    }
}
