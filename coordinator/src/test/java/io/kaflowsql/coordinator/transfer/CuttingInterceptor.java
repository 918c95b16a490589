package io.kaflowsql.coordinator.transfer;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kaflowsql.protocol.transfer.v1.FetchFileRequest;
import io.kaflowsql.protocol.transfer.v1.FileChunk;
import io.kaflowsql.protocol.transfer.v1.FileSetManifest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Test server interceptor: records every FetchFile request, can break the first file stream that goes past
 * a number of bytes (as a dropped connection would), and can run a hook when a manifest is sent.
 */
final class CuttingInterceptor
        implements ServerInterceptor
{
    final List<FetchFileRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cutDone = new AtomicBoolean();
    private volatile long cutAfterBytes = Long.MAX_VALUE;
    private volatile Consumer<FileSetManifest> onManifest = manifest -> {};

    void cutFirstStreamAfter(long bytes)
    {
        cutAfterBytes = bytes;
    }

    boolean cut()
    {
        return cutDone.get();
    }

    void onManifest(Consumer<FileSetManifest> hook)
    {
        onManifest = hook;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next)
    {
        ServerCall<ReqT, RespT> wrapped = new SimpleForwardingServerCall<>(call)
        {
            private long sent;
            private boolean closed;

            @Override
            public void sendMessage(RespT message)
            {
                if (message instanceof FileSetManifest manifest) {
                    onManifest.accept(manifest);
                }
                if (closed) {
                    return;
                }
                if (message instanceof FileChunk chunk) {
                    sent += chunk.getData().size();
                    if (sent > cutAfterBytes && cutDone.compareAndSet(false, true)) {
                        closed = true;
                        super.close(Status.UNAVAILABLE.withDescription("connection cut by the test"), new Metadata());
                        return;
                    }
                }
                super.sendMessage(message);
            }

            @Override
            public boolean isReady()
            {
                // after the cut the service drains the rest of the file into nothing
                return closed || super.isReady();
            }

            @Override
            public void close(Status status, Metadata trailers)
            {
                if (!closed) {
                    closed = true;
                    super.close(status, trailers);
                }
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(wrapped, headers))
        {
            @Override
            public void onMessage(ReqT message)
            {
                if (message instanceof FetchFileRequest request) {
                    requests.add(request);
                }
                super.onMessage(message);
            }
        };
    }
}
