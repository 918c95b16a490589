package io.kaflowsql.coordinator.transfer;

import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory.CheckpointFiles;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.UnsupportedFormatVersionException;
import io.kaflowsql.protocol.transfer.v1.FetchFileRequest;
import io.kaflowsql.protocol.transfer.v1.FileChunk;
import io.kaflowsql.protocol.transfer.v1.FileEntry;
import io.kaflowsql.protocol.transfer.v1.FileSetManifest;
import io.kaflowsql.protocol.transfer.v1.OpenCheckpointRequest;
import io.kaflowsql.protocol.transfer.v1.OpenDimensionSnapshotRequest;
import io.kaflowsql.protocol.transfer.v1.ReleaseRequest;
import io.kaflowsql.protocol.transfer.v1.StateTransferGrpc;
import io.kaflowsql.protocol.transfer.v1.StateTransferGrpc.StateTransferBlockingStub;
import io.kaflowsql.protocol.transfer.v1.TaskRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Fetches task checkpoints and dimension snapshots from one peer ({@code host:port}).
 *
 * <p>A fetch opens the set on the peer (which pins it), fetches each file, resuming a broken stream from
 * the bytes already on disk (up to {@link Settings#maxAttempts()} streams per file, with growing backoff),
 * checks every file's size and CRC32C (a damaged file is fetched once more, then the fetch fails), and
 * releases the pin. Files already received by an earlier failed fetch of a checkpoint are kept and skipped
 * when they check out.
 *
 * <p>Every request carries the state-transfer protocol version negotiated with the cluster ({@link FormatVersions}); a
 * peer answering in a version this build does not read is refused ({@link StateTransferException}).
 *
 * <p>Thread-safe (one channel shared by concurrent fetches), but concurrent fetches of the same task
 * would share one incoming directory: the caller fetches a task once at a time. Blocking.
 */
public final class StateTransferClient
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(StateTransferClient.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final Set<Status.Code> RETRIABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.ABORTED, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);

    /**
     * @param maxAttempts streams tried per file before the fetch fails
     * @param retryBackoff pause before the second stream; grows linearly with the attempt
     * @param openTimeout deadline of opening a set (the peer checksums every file, or writes a snapshot)
     * @param progressInterval how often a long transfer logs its progress
     */
    public record Settings(int maxAttempts, Duration retryBackoff, Duration openTimeout, Duration progressInterval)
    {
        public static final Settings DEFAULTS = new Settings(5, Duration.ofMillis(500), Duration.ofMinutes(10), Duration.ofSeconds(5));

        public Settings
        {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            requireNonNull(retryBackoff, "retryBackoff is null");
            requireNonNull(openTimeout, "openTimeout is null");
            requireNonNull(progressInterval, "progressInterval is null");
        }
    }

    private final String target;
    private final Settings settings;
    private final Clock clock;
    private final ManagedChannel channel;
    private final StateTransferBlockingStub stub;
    private final FormatVersions formats;

    public StateTransferClient(String target)
    {
        this(target, Settings.DEFAULTS, Clock.systemUTC());
    }

    public StateTransferClient(String target, Settings settings, Clock clock)
    {
        this(target, settings, clock, InsecureChannelCredentials.create(), List.of());
    }

    /**
     * A client over a channel made with {@code credentials} (TLS or plaintext) whose calls pass through
     * {@code interceptors} (e.g. one adding the cluster's admin token).
     */
    public StateTransferClient(String target, Settings settings, Clock clock, ChannelCredentials credentials, List<? extends ClientInterceptor> interceptors)
    {
        this(target, settings, clock, credentials, interceptors, FormatVersions.forThisBuild());
    }

    /** Like the constructor above, speaking the protocol version {@code formats} says at each call. */
    public StateTransferClient(String target, Settings settings, Clock clock, ChannelCredentials credentials, List<? extends ClientInterceptor> interceptors,
            FormatVersions formats)
    {
        this.formats = requireNonNull(formats, "formats is null");
        this.target = requireNonNull(target, "target is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.channel = Grpc.newChannelBuilder(target, requireNonNull(credentials, "credentials is null"))
                .maxInboundMessageSize(StateTransferServer.MAX_MESSAGE_BYTES)
                .intercept(List.copyOf(interceptors))
                .build();
        this.stub = StateTransferGrpc.newBlockingStub(channel);
    }

    /**
     * Fetches the peer's newest checkpoint of a task and publishes it as the newest checkpoint in {@code into}, unless
     * {@code into} already holds one at least as new (a standby refreshed every few seconds while its owner has not
     * checkpointed since): then nothing is transferred.
     *
     * @return the published checkpoint (or the local one as new), or empty when the peer has no checkpoint of the task
     * @throws StateTransferException when the transfer fails (retrying later resumes it)
     */
    public Optional<CheckpointFiles> fetchCheckpoint(String pipeline, int partition, TaskStateDirectory into)
    {
        requireNonNull(into, "into is null");
        String what = "checkpoint of " + pipeline + "-" + partition + " from " + target;
        FileSetManifest manifest;
        try {
            manifest = stub.withDeadlineAfter(settings.openTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .openCheckpoint(OpenCheckpointRequest.newBuilder()
                            .setProtocolVersion(formats.write(Format.PROTOCOL))
                            .setTask(TaskRef.newBuilder().setPipeline(pipeline).setPartition(partition))
                            .build());
        }
        catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                log.info("No {}: {}", what, e.getStatus().getDescription());
                return Optional.empty();
            }
            throw new StateTransferException("cannot open " + what + ": " + describe(e), e);
        }
        checkVersion(manifest, what);
        Optional<CheckpointFiles> local = into.newest();
        long offered = Long.parseLong(manifest.getPropertiesOrDefault("changelog.offset", "-1"));
        if (local.isPresent() && local.get().changelogOffset() >= offered) {
            release(manifest);
            log.debug("Not fetching the {}: the local checkpoint is as new (changelog offset {})", what, local.get().changelogOffset());
            return local;
        }
        // named after the peer, not the transfer, so that a later attempt finds what this one received
        String incomingName = "from-" + target.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Path incoming = into.incomingDir(incomingName);
            fetchAll(manifest, incoming, what, false);
            CheckpointFiles published = into.publishIncoming(incomingName);
            log.info("Published {} (changelog offset {}) as local checkpoint {}", what, published.changelogOffset(), published.sequence());
            return Optional.of(published);
        }
        catch (IOException e) {
            throw new StateTransferException("cannot store " + what + " in " + into.taskDir() + ": " + e, e);
        }
        finally {
            release(manifest);
        }
    }

    /**
     * Fetches a fresh snapshot of the pipeline's dimension tables from the peer into {@code directory}.
     *
     * @return the snapshot file
     * @throws StateTransferException when the peer's dimensions are not ready, it does not run the pipeline,
     * or the transfer fails
     */
    public Path fetchDimensionSnapshot(String pipeline, Path directory)
    {
        requireNonNull(directory, "directory is null");
        String what = "dimension snapshot of " + pipeline + " from " + target;
        FileSetManifest manifest;
        try {
            manifest = stub.withDeadlineAfter(settings.openTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .openDimensionSnapshot(OpenDimensionSnapshotRequest.newBuilder()
                            .setProtocolVersion(formats.write(Format.PROTOCOL))
                            .setPipeline(pipeline)
                            .build());
        }
        catch (StatusRuntimeException e) {
            throw new StateTransferException("cannot open " + what + ": " + describe(e), e);
        }
        checkVersion(manifest, what);
        try {
            if (manifest.getFilesCount() != 1) {
                throw new StateTransferException(what + ": expected one file, the peer offers " + manifest.getFilesCount());
            }
            Files.createDirectories(directory);
            fetchAll(manifest, directory, what, true);
            return directory.resolve(manifest.getFiles(0).getName());
        }
        catch (IOException e) {
            throw new StateTransferException("cannot store " + what + " in " + directory + ": " + e, e);
        }
        finally {
            release(manifest);
        }
    }

    @Override
    public void close()
    {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void fetchAll(FileSetManifest manifest, Path dir, String what, boolean fresh)
            throws IOException
    {
        long total = manifest.getFilesList().stream().mapToLong(FileEntry::getSize).sum();
        TransferProgress progress = new TransferProgress(what, total, clock, settings.progressInterval());
        Set<String> names = manifest.getFilesList().stream().map(FileEntry::getName).collect(Collectors.toSet());
        for (FileEntry entry : manifest.getFilesList()) {
            if (!SAFE_NAME.matcher(entry.getName()).matches() || entry.getName().startsWith(".")) {
                throw new StateTransferException(what + ": the peer offers a file with an unsafe name '" + entry.getName() + "'");
            }
            Path file = dir.resolve(entry.getName());
            if (fresh) {
                Files.deleteIfExists(file);
            }
            fetchChecked(manifest.getTransferId(), entry, file, what, progress);
        }
        if (!fresh) {
            // leftovers of an earlier attempt at another checkpoint
            try (Stream<Path> listing = Files.list(dir)) {
                for (Path file : listing.toList()) {
                    if (!names.contains(file.getFileName().toString())) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
        progress.finished();
    }

    private void fetchChecked(String transferId, FileEntry entry, Path file, String what, TransferProgress progress)
            throws IOException
    {
        for (int check = 1; ; check++) {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            long had = Files.size(file);
            if (had > entry.getSize()) {
                Files.delete(file);
                Files.createFile(file);
                had = 0;
            }
            progress.alreadyHad(had);
            if (had < entry.getSize()) {
                download(transferId, entry, file, what, progress);
            }
            long size = Files.size(file);
            int crc = FileChecksum.crc32c(file);
            if (size == entry.getSize() && crc == entry.getCrc32C()) {
                return;
            }
            Files.delete(file);
            String problem = String.format("file %s arrived with %d bytes and CRC32C %08x, the peer announced %d bytes and CRC32C %08x",
                    entry.getName(), size, crc, entry.getSize(), entry.getCrc32C());
            if (check == 2) {
                throw new StateTransferException(what + ": checksum mismatch twice, the peer's copy is probably damaged: " + problem);
            }
            log.warn("{}: {}; fetching it again", what, problem);
        }
    }

    private void download(String transferId, FileEntry entry, Path file, String what, TransferProgress progress)
            throws IOException
    {
        for (int attempt = 1; ; attempt++) {
            long position = Files.exists(file) ? Files.size(file) : 0;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                position = stream(transferId, entry, out, position, what, progress);
                out.force(false);
                if (position != entry.getSize()) {
                    throw new StateTransferException(what + ": the stream of " + entry.getName() + " ended at byte " + position + " of " + entry.getSize());
                }
                return;
            }
            catch (StatusRuntimeException e) {
                if (!RETRIABLE.contains(e.getStatus().getCode()) || attempt >= settings.maxAttempts()) {
                    throw new StateTransferException(what + ": cannot fetch " + entry.getName() + " (attempt " + attempt + " of "
                            + settings.maxAttempts() + "): " + describe(e), e);
                }
                long backoff = settings.retryBackoff().toMillis() * attempt;
                log.info("{}: stream of {} broke ({}); resuming in {} ms (attempt {} of {})", what, entry.getName(), describe(e), backoff,
                        attempt + 1, settings.maxAttempts());
                pause(backoff);
            }
        }
    }

    /** One stream from {@code position}; returns the position after the last byte written. */
    private long stream(String transferId, FileEntry entry, FileChannel out, long position, String what, TransferProgress progress)
            throws IOException
    {
        // cancel the call when we stop reading early, so the peer does not keep streaming
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<FileChunk> chunks = stub.fetchFile(FetchFileRequest.newBuilder()
                    .setProtocolVersion(formats.write(Format.PROTOCOL))
                    .setTransferId(transferId)
                    .setFileName(entry.getName())
                    .setOffset(position)
                    .build());
            while (chunks.hasNext()) {
                FileChunk chunk = chunks.next();
                if (chunk.getOffset() != position || position + chunk.getData().size() > entry.getSize()) {
                    throw new StateTransferException(what + ": the peer sent bytes " + chunk.getOffset() + ".." + (chunk.getOffset() + chunk.getData().size())
                            + " of " + entry.getName() + " while " + position + " of " + entry.getSize() + " was expected");
                }
                ByteBuffer data = chunk.getData().asReadOnlyByteBuffer();
                while (data.hasRemaining()) {
                    position += out.write(data, position);
                }
                progress.fetched(chunk.getData().size());
            }
            return position;
        }
        finally {
            context.detach(previous);
            context.cancel(null);
        }
    }

    private void release(FileSetManifest manifest)
    {
        try {
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).release(ReleaseRequest.newBuilder()
                    .setProtocolVersion(formats.write(Format.PROTOCOL))
                    .setTransferId(manifest.getTransferId())
                    .build());
        }
        catch (StatusRuntimeException e) {
            // the pin expires on the peer anyway
            log.info("Cannot release transfer {} on {}: {}", manifest.getTransferId(), target, describe(e));
        }
    }

    private static void pause(long millis)
    {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateTransferException("interrupted while fetching state", e);
        }
    }

    /** Refuses (and releases) a set offered in a protocol version this build does not read; 0 is a peer from before versions: 1. */
    private void checkVersion(FileSetManifest manifest, String what)
    {
        int version = Math.max(1, manifest.getProtocolVersion());
        try {
            formats.supported().check(Format.PROTOCOL, version, "of the peer offering the " + what);
        }
        catch (UnsupportedFormatVersionException e) {
            release(manifest);
            throw new StateTransferException(e.getMessage(), e);
        }
    }

    private static String describe(StatusRuntimeException e)
    {
        Status status = e.getStatus();
        return status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
    }
}
