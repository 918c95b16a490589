package io.kaflowsql.coordinator.transfer;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory.CheckpointFiles;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory.PinnedCheckpoint;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.VersionRange;
import io.kaflowsql.protocol.transfer.v1.FetchFileRequest;
import io.kaflowsql.protocol.transfer.v1.FileChunk;
import io.kaflowsql.protocol.transfer.v1.FileEntry;
import io.kaflowsql.protocol.transfer.v1.FileSetManifest;
import io.kaflowsql.protocol.transfer.v1.OpenCheckpointRequest;
import io.kaflowsql.protocol.transfer.v1.OpenDimensionSnapshotRequest;
import io.kaflowsql.protocol.transfer.v1.ReleaseRequest;
import io.kaflowsql.protocol.transfer.v1.ReleaseResponse;
import io.kaflowsql.protocol.transfer.v1.StateTransferGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Serves this node's task checkpoints and dimension snapshots to peers (the {@code StateTransfer} gRPC
 * service). Opening a set pins it (hard links for a checkpoint, a file written for the transfer for a
 * snapshot) until the peer releases it or it goes unused for the pin lifetime.
 *
 * <p>Versions: a request in a protocol version this build does not read ({@link FormatVersions#supported()}; 0, from a
 * peer older than versions, is 1) is refused with {@code FAILED_PRECONDITION} naming both; manifests carry the version
 * negotiated with the cluster.
 *
 * <p>Thread-safe. {@link #close()} releases every pin.
 */
public final class StateTransferService
        extends StateTransferGrpc.StateTransferImplBase
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(StateTransferService.class);
    public static final int DEFAULT_CHUNK_BYTES = 1 << 20;
    public static final String SNAPSHOT_FILE = "dimensions.snapshot";
    private static final int PIN_ATTEMPTS = 3;

    private final TransferSources sources;
    private final Path workDir;
    private final Clock clock;
    private final Duration pinLifetime;
    private final int chunkBytes;
    private final FormatVersions formats;
    private final Map<String, ServedFileSet> served = new ConcurrentHashMap<>();

    public StateTransferService(TransferSources sources, Path workDir)
    {
        this(sources, workDir, Clock.systemUTC(), TaskStateDirectory.DEFAULT_PIN_LIFETIME, DEFAULT_CHUNK_BYTES);
    }

    /** A service answering in the protocol version {@code formats} says at each call. */
    public StateTransferService(TransferSources sources, Path workDir, FormatVersions formats)
    {
        this(sources, workDir, Clock.systemUTC(), TaskStateDirectory.DEFAULT_PIN_LIFETIME, DEFAULT_CHUNK_BYTES, formats);
    }

    public StateTransferService(TransferSources sources, Path workDir, Clock clock, Duration pinLifetime, int chunkBytes)
    {
        this(sources, workDir, clock, pinLifetime, chunkBytes, FormatVersions.forThisBuild());
    }

    public StateTransferService(TransferSources sources, Path workDir, Clock clock, Duration pinLifetime, int chunkBytes, FormatVersions formats)
    {
        this.formats = requireNonNull(formats, "formats is null");
        this.sources = requireNonNull(sources, "sources is null");
        this.workDir = requireNonNull(workDir, "workDir is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.pinLifetime = requireNonNull(pinLifetime, "pinLifetime is null");
        if (chunkBytes < 1 || chunkBytes > 4 << 20) {
            throw new IllegalArgumentException("chunkBytes must be between 1 and 4 MiB: " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
    }

    @Override
    public void openCheckpoint(OpenCheckpointRequest request, StreamObserver<FileSetManifest> response)
    {
        try {
            checkVersion(request.getProtocolVersion());
            String pipeline = request.getTask().getPipeline();
            int partition = request.getTask().getPartition();
            if (pipeline.isEmpty() || partition < 0) {
                throw status(Status.INVALID_ARGUMENT, "a task needs a pipeline name and a partition >= 0, got '" + pipeline + "' partition " + partition);
            }
            expirePins();
            TaskStateDirectory directory = sources.taskState(pipeline, partition)
                    .orElseThrow(() -> status(Status.NOT_FOUND, "this node holds no state of pipeline '" + pipeline + "' partition " + partition));
            PinnedCheckpoint pin = pinNewest(directory, pipeline + "-" + partition);
            CheckpointFiles checkpoint = pin.checkpoint();
            FileSetManifest.Builder manifest = FileSetManifest.newBuilder()
                    .putProperties("sequence", Long.toString(checkpoint.sequence()))
                    .putProperties("changelog.offset", Long.toString(checkpoint.changelogOffset()));
            try {
                serve(pin.id(), checkpoint.dir(), checkpoint.files().keySet(), manifest, () -> directory.touch(pin.id()), () -> directory.unpin(pin.id()));
            }
            catch (IOException | RuntimeException e) {
                directory.unpin(pin.id());
                throw e;
            }
            log.info("Serving checkpoint {} of {}-{} ({} files, {} bytes) as transfer {}", checkpoint.sequence(), pipeline, partition,
                    checkpoint.files().size(), checkpoint.bytes(), pin.id());
            response.onNext(manifest.build());
            response.onCompleted();
        }
        catch (Exception e) {
            fail(response, e, "open checkpoint");
        }
    }

    @Override
    public void openDimensionSnapshot(OpenDimensionSnapshotRequest request, StreamObserver<FileSetManifest> response)
    {
        try {
            checkVersion(request.getProtocolVersion());
            String pipeline = request.getPipeline();
            if (pipeline.isEmpty()) {
                throw status(Status.INVALID_ARGUMENT, "a dimension snapshot needs a pipeline name");
            }
            expirePins();
            String transferId = UUID.randomUUID().toString();
            Path dir = Files.createDirectories(workDir.resolve("snapshots").resolve(transferId));
            long rows;
            try {
                rows = sources.writeDimensionSnapshot(pipeline, dir.resolve(SNAPSHOT_FILE));
            }
            catch (IllegalStateException e) {
                deleteRecursively(dir);
                throw status(Status.UNAVAILABLE, "dimensions of pipeline '" + pipeline + "' are not ready on this node yet: " + e.getMessage());
            }
            catch (IllegalArgumentException e) {
                deleteRecursively(dir);
                throw status(Status.NOT_FOUND, "this node does not run pipeline '" + pipeline + "': " + e.getMessage());
            }
            catch (Exception e) {
                deleteRecursively(dir);
                throw e;
            }
            FileSetManifest.Builder manifest = FileSetManifest.newBuilder().putProperties("rows", Long.toString(rows));
            serve(transferId, dir, java.util.Set.of(SNAPSHOT_FILE), manifest, () -> {}, () -> deleteRecursively(dir));
            log.info("Serving a dimension snapshot of {} ({} rows) as transfer {}", pipeline, rows, transferId);
            response.onNext(manifest.build());
            response.onCompleted();
        }
        catch (Exception e) {
            fail(response, e, "open dimension snapshot");
        }
    }

    @Override
    public void fetchFile(FetchFileRequest request, StreamObserver<FileChunk> response)
    {
        try {
            checkVersion(request.getProtocolVersion());
            expirePins();
            ServedFileSet set = served.get(request.getTransferId());
            if (set == null) {
                throw status(Status.NOT_FOUND, "transfer '" + request.getTransferId() + "' is not open here (released, or unused for longer than "
                        + pinLifetime + "); open the set again");
            }
            Path file = set.file(request.getFileName())
                    .orElseThrow(() -> status(Status.NOT_FOUND, "transfer '" + request.getTransferId() + "' has no file '" + request.getFileName() + "'"));
            long size = Files.size(file);
            if (request.getOffset() < 0 || request.getOffset() > size) {
                throw status(Status.INVALID_ARGUMENT, "offset " + request.getOffset() + " is outside " + request.getFileName() + " (" + size + " bytes)");
            }
            set.used(clock.millis(), true);
            FileStreamer.start((ServerCallStreamObserver<FileChunk>) response, file, request.getOffset(), chunkBytes,
                    () -> set.used(clock.millis(), false));
        }
        catch (Exception e) {
            fail(response, e, "fetch file");
        }
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> response)
    {
        try {
            checkVersion(request.getProtocolVersion());
            ServedFileSet set = served.remove(request.getTransferId());
            if (set != null) {
                set.release();
                log.info("Released transfer {}", request.getTransferId());
            }
            expirePins();
            response.onNext(ReleaseResponse.getDefaultInstance());
            response.onCompleted();
        }
        catch (Exception e) {
            fail(response, e, "release");
        }
    }

    /** How many sets are open now (for tests and metrics). */
    public int openTransfers()
    {
        return served.size();
    }

    /** Releases every open set. */
    @Override
    public void close()
    {
        served.keySet().forEach(id -> {
            ServedFileSet set = served.remove(id);
            if (set != null) {
                set.release();
            }
        });
    }

    private PinnedCheckpoint pinNewest(TaskStateDirectory directory, String task)
            throws StatusException
    {
        // the newest checkpoint can be pruned between newest() and pin() when the task writes two more meanwhile
        for (int attempt = 1; ; attempt++) {
            CheckpointFiles newest = directory.newest()
                    .orElseThrow(() -> status(Status.NOT_FOUND, "task " + task + " has no checkpoint on this node yet"));
            try {
                return directory.pin(newest);
            }
            catch (IllegalStateException e) {
                if (attempt == PIN_ATTEMPTS) {
                    throw status(Status.UNAVAILABLE, "checkpoints of task " + task + " are pruned faster than they can be pinned; retry");
                }
            }
        }
    }

    private void serve(String transferId, Path dir, Iterable<String> names, FileSetManifest.Builder manifest, Runnable touch, Runnable release)
            throws IOException
    {
        Map<String, Path> files = new TreeMap<>();
        for (String name : names) {
            Path file = dir.resolve(name);
            files.put(name, file);
        }
        for (Map.Entry<String, Path> file : files.entrySet()) {
            manifest.addFiles(FileEntry.newBuilder()
                    .setName(file.getKey())
                    .setSize(Files.size(file.getValue()))
                    .setCrc32C(FileChecksum.crc32c(file.getValue())));
        }
        manifest.setProtocolVersion(formats.write(Format.PROTOCOL)).setTransferId(transferId);
        served.put(transferId, new ServedFileSet(transferId, files, touch, release, clock.millis()));
    }

    private void expirePins()
    {
        long now = clock.millis();
        served.values().removeIf(set -> {
            if (set.expired(now, pinLifetime.toMillis())) {
                log.info("Transfer {} unused for longer than {}: releasing it", set.transferId(), pinLifetime);
                set.release();
                return true;
            }
            return false;
        });
    }

    private void checkVersion(int requested)
            throws StatusException
    {
        int version = requested == 0 ? 1 : requested;
        VersionRange supported = formats.supported().range(Format.PROTOCOL);
        if (version < 0 || !supported.contains(version)) {
            throw status(Status.FAILED_PRECONDITION, "the caller speaks state-transfer protocol version " + Integer.toUnsignedString(version)
                    + ", this node reads versions " + supported + "; nodes interoperate only with the adjacent version: "
                    + (Integer.compareUnsigned(version, supported.max()) > 0 ? "upgrade this node" : "upgrade the caller") + " first");
        }
    }

    private static StatusException status(Status status, String message)
    {
        return status.withDescription(message).asException();
    }

    private static void fail(StreamObserver<?> response, Exception e, String operation)
    {
        if (e instanceof StatusException statusException) {
            response.onError(statusException);
            return;
        }
        log.warn("State transfer: cannot {}", operation, e);
        response.onError(Status.INTERNAL.withDescription("cannot " + operation + " on the serving node: " + e).withCause(e).asException());
    }

    private static void deleteRecursively(Path path)
    {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
        catch (IOException e) {
            log.warn("Cannot delete {}: {}", path, e.toString());
        }
    }
}
