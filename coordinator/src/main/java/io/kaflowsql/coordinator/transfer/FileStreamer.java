package io.kaflowsql.coordinator.transfer;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.kaflowsql.protocol.transfer.v1.FileChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.util.Objects.requireNonNull;

/**
 * Streams one file from an offset as {@link FileChunk}s, only while the call's transport is ready: gRPC
 * calls {@link #run()} whenever the peer can take more, so a big file never piles up in memory on a slow
 * link. Thread-safe: gRPC serializes the handlers, and they synchronize anyway.
 */
final class FileStreamer
        implements Runnable
{
    private static final Logger log = LoggerFactory.getLogger(FileStreamer.class);

    private final ServerCallStreamObserver<FileChunk> observer;
    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final Runnable onChunk;
    private long position;
    private boolean done;

    private FileStreamer(ServerCallStreamObserver<FileChunk> observer, Path file, FileChannel channel, long offset, int chunkBytes, Runnable onChunk)
    {
        this.observer = requireNonNull(observer, "observer is null");
        this.file = requireNonNull(file, "file is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.buffer = ByteBuffer.allocate(chunkBytes);
        this.position = offset;
        this.onChunk = requireNonNull(onChunk, "onChunk is null");
    }

    /** Starts streaming; must be called from the gRPC method handler. */
    static void start(ServerCallStreamObserver<FileChunk> observer, Path file, long offset, int chunkBytes, Runnable onChunk)
            throws IOException
    {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        FileStreamer streamer = new FileStreamer(observer, file, channel, offset, chunkBytes, onChunk);
        observer.setOnCancelHandler(streamer::cancel);
        // gRPC runs the handler once the call is ready after the method returns, and again each time it becomes ready
        observer.setOnReadyHandler(streamer);
    }

    @Override
    public synchronized void run()
    {
        if (done) {
            return;
        }
        try {
            while (observer.isReady()) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read < 0) {
                    finish();
                    observer.onCompleted();
                    return;
                }
                buffer.flip();
                observer.onNext(FileChunk.newBuilder().setOffset(position).setData(ByteString.copyFrom(buffer)).build());
                position += read;
                onChunk.run();
            }
        }
        catch (IOException e) {
            log.warn("Cannot read {} for a peer: {}", file, e.toString());
            finish();
            observer.onError(Status.INTERNAL.withDescription("cannot read " + file.getFileName() + " on the serving node: " + e.getMessage())
                    .asRuntimeException());
        }
    }

    private synchronized void cancel()
    {
        finish();
    }

    private void finish()
    {
        done = true;
        try {
            channel.close();
        }
        catch (IOException e) {
            log.debug("Cannot close {}", file, e);
        }
    }
}
