package io.kaflowsql.coordinator.transfer;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory.CheckpointFiles;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.StoredRow;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import io.kaflowsql.protocol.ProtocolVersion;
import io.kaflowsql.protocol.transfer.v1.FetchFileRequest;
import io.kaflowsql.protocol.transfer.v1.OpenCheckpointRequest;
import io.kaflowsql.protocol.transfer.v1.StateTransferGrpc;
import io.kaflowsql.protocol.transfer.v1.TaskRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateTransferTest
{
    private static final int EVENTS = 3_000;

    @TempDir
    Path root;

    private final FakeSources sources = new FakeSources();
    private final CuttingInterceptor interceptor = new CuttingInterceptor();
    private StateTransferService service;
    private StateTransferServer server;
    private StateTransferClient client;

    @BeforeEach
    void start()
            throws IOException
    {
        service = new StateTransferService(sources, root.resolve("work"), Clock.systemUTC(), Duration.ofMinutes(10), 4096);
        server = StateTransferServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), service, List.of(), List.of(interceptor));
        client = new StateTransferClient("127.0.0.1:" + server.port(),
                new StateTransferClient.Settings(5, Duration.ofMillis(20), Duration.ofSeconds(60), Duration.ofSeconds(1)), Clock.systemUTC());
    }

    @AfterEach
    void stop()
    {
        client.close();
        server.close();
    }

    @Test
    void transfersACheckpointThatOpensWithTheSameContentsOnTheReceiver()
            throws IOException
    {
        Path senderDir = serverTask("clicks", 3, 2);
        writeCheckpoint(senderDir, 2, "v1", 41);
        TaskStateDirectory receiver = new TaskStateDirectory(root.resolve("receiver"), 2);

        CheckpointFiles published = client.fetchCheckpoint("clicks", 3, receiver).orElseThrow();

        assertThat(published.changelogOffset()).isEqualTo(41);
        assertThat(published.files()).isEqualTo(new TaskStateDirectory(senderDir, 2).newest().orElseThrow().files());
        assertThat(receiver.newest()).contains(published);
        assertThatHoldsEvents(receiver.taskDir(), "v1");
        assertThat(service.openTransfers()).isZero();
        assertThat(listing(senderDir.resolve("pinned"))).isEmpty();
    }

    @Test
    void aLocalCheckpointAsNewAsThePeersIsNotFetchedAgain()
            throws IOException
    {
        Path senderDir = serverTask("clicks", 3, 2);
        writeCheckpoint(senderDir, 2, "v1", 41);
        TaskStateDirectory receiver = new TaskStateDirectory(root.resolve("receiver"), 2);
        CheckpointFiles first = client.fetchCheckpoint("clicks", 3, receiver).orElseThrow();
        int fileRequests = interceptor.requests.size();

        assertThat(client.fetchCheckpoint("clicks", 3, receiver)).contains(first);
        assertThat(interceptor.requests).as("no file is streamed again").hasSize(fileRequests);
        assertThat(receiver.newest()).contains(first);
        assertThat(service.openTransfers()).as("the offered set is released").isZero();
    }

    @Test
    void resumesABrokenStreamFromTheBytesAlreadyReceived()
            throws IOException
    {
        Path senderDir = serverTask("clicks", 0, 2);
        writeCheckpoint(senderDir, 2, "v1", 10);
        interceptor.cutFirstStreamAfter(20_000);
        TaskStateDirectory receiver = new TaskStateDirectory(root.resolve("receiver"), 2);

        CheckpointFiles published = client.fetchCheckpoint("clicks", 0, receiver).orElseThrow();

        assertThat(interceptor.cut()).isTrue();
        assertThat(interceptor.requests).anySatisfy(request -> assertThat(request.getOffset()).isGreaterThan(0));
        assertThat(published.changelogOffset()).isEqualTo(10);
        assertThatHoldsEvents(receiver.taskDir(), "v1");
    }

    @Test
    void aFileDamagedOnTheServerFailsTheFetchWithAChecksumError()
            throws IOException
    {
        Path senderDir = serverTask("clicks", 0, 2);
        writeCheckpoint(senderDir, 2, "v1", 10);
        String[] damaged = new String[1];
        interceptor.onManifest(manifest -> damaged[0] = flipAByteOfTheLargestFile(senderDir.resolve("pinned").resolve(manifest.getTransferId())));
        TaskStateDirectory receiver = new TaskStateDirectory(root.resolve("receiver"), 2);

        assertThatThrownBy(() -> client.fetchCheckpoint("clicks", 0, receiver))
                .isInstanceOf(StateTransferException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining(damaged[0]);
        assertThat(receiver.newest()).isEmpty();
        assertThat(service.openTransfers()).isZero();
    }

    @Test
    void aCheckpointPrunedDuringTheTransferStillArrivesWhole()
            throws IOException
    {
        Path senderDir = serverTask("clicks", 0, 1);
        TaskCheckpoints checkpoints = new TaskCheckpoints(senderDir, 1);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            putEvents(store, "v1");
            checkpoints.write(store, 10, Map.of(), 1);
            Path original = checkpoints.newestFirst().get(0).dir();
            interceptor.onManifest(manifest -> {
                putEvents(store, "v2");
                checkpoints.write(store, 20, Map.of(), 2);
                checkpoints.write(store, 30, Map.of(), 3);
            });
            TaskStateDirectory receiver = new TaskStateDirectory(root.resolve("receiver"), 2);

            CheckpointFiles published = client.fetchCheckpoint("clicks", 0, receiver).orElseThrow();

            assertThat(original).doesNotExist();
            assertThat(published.changelogOffset()).isEqualTo(10);
            assertThatHoldsEvents(receiver.taskDir(), "v1");
        }
    }

    @Test
    void findsNothingWhenThePeerHasNoCheckpointOfTheTask()
    {
        serverTask("clicks", 0, 2);
        TaskStateDirectory receiver = new TaskStateDirectory(root.resolve("receiver"), 2);

        assertThat(client.fetchCheckpoint("clicks", 0, receiver)).isEmpty();
        assertThat(client.fetchCheckpoint("unknown", 0, receiver)).isEmpty();
        assertThat(receiver.newest()).isEmpty();
    }

    @Test
    void transfersADimensionSnapshot()
            throws IOException
    {
        byte[] content = new byte[100_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + i / 7);
        }
        sources.snapshot = content;
        interceptor.cutFirstStreamAfter(30_000);

        Path file = client.fetchDimensionSnapshot("clicks", root.resolve("dims"));

        assertThat(file).hasBinaryContent(content);
        assertThat(file.getParent()).isEqualTo(root.resolve("dims"));
        assertThat(interceptor.cut()).isTrue();
        assertThat(service.openTransfers()).isZero();
        assertThat(listing(root.resolve("work").resolve("snapshots"))).isEmpty();
    }

    @Test
    void aSnapshotOfDimensionsNotReadyIsRefusedAsUnavailable()
    {
        sources.snapshot = null;

        assertThatThrownBy(() -> client.fetchDimensionSnapshot("clicks", root.resolve("dims")))
                .isInstanceOf(StateTransferException.class)
                .hasMessageContaining("UNAVAILABLE")
                .hasMessageContaining("not ready");
        assertThatThrownBy(() -> client.fetchDimensionSnapshot("unknown", root.resolve("dims")))
                .hasMessageContaining("NOT_FOUND");
    }

    @Test
    void refusesANewerProtocolAndUnknownTransfers()
            throws InterruptedException
    {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create()).build();
        try {
            StateTransferGrpc.StateTransferBlockingStub stub = StateTransferGrpc.newBlockingStub(channel);
            assertThatThrownBy(() -> stub.openCheckpoint(OpenCheckpointRequest.newBuilder()
                    .setProtocolVersion(ProtocolVersion.CURRENT + 1)
                    .setTask(TaskRef.newBuilder().setPipeline("clicks").setPartition(0))
                    .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
            assertThatThrownBy(() -> stub.fetchFile(FetchFileRequest.newBuilder()
                    .setProtocolVersion(ProtocolVersion.CURRENT)
                    .setTransferId("nope")
                    .setFileName("CURRENT")
                    .build()).hasNext())
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).contains("open the set again");
                    });
        }
        finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Path serverTask(String pipeline, int partition, int keep)
    {
        Path dir = root.resolve("server").resolve(pipeline).resolve("task-" + partition);
        sources.tasks.put(pipeline + "-" + partition, new TaskStateDirectory(dir, keep));
        return dir;
    }

    private static void writeCheckpoint(Path taskDir, int keep, String value, long changelogOffset)
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, keep);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            putEvents(store, value);
            checkpoints.write(store, changelogOffset, Map.of("clicks-0", 5L), 1);
        }
    }

    private static void putEvents(RocksTaskStore store, String value)
    {
        for (int i = 0; i < EVENTS; i++) {
            // distinct, hardly compressible values, so that the SST files span many chunks
            store.putEvent(1, "key-" + i, new StoredRow(i, Long.MAX_VALUE, new Object[] {value + "-" + Integer.toHexString(i * 0x9E3779B1) + "-" + i * 7919L}));
        }
    }

    private static void assertThatHoldsEvents(Path taskDir, String value)
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        checkpoints.materialize(checkpoints.newestFirst().get(0));
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            for (int i = 0; i < EVENTS; i++) {
                assertThat(store.getEvent(1, "key-" + i).values())
                        .containsExactly(value + "-" + Integer.toHexString(i * 0x9E3779B1) + "-" + i * 7919L);
            }
        }
    }

    private static String flipAByteOfTheLargestFile(Path dir)
    {
        try (Stream<Path> files = Files.list(dir)) {
            Path largest = files.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
            byte[] bytes = Files.readAllBytes(largest);
            bytes[bytes.length / 2] ^= 0x5A;
            Files.write(largest, bytes);
            return largest.getFileName().toString();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> listing(Path dir)
            throws IOException
    {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    /** Serves task directories registered by the test, and a snapshot of fixed bytes (or not ready when null). */
    private static final class FakeSources
            implements TransferSources
    {
        final Map<String, TaskStateDirectory> tasks = new HashMap<>();
        volatile byte[] snapshot = new byte[0];

        @Override
        public Optional<TaskStateDirectory> taskState(String pipeline, int partition)
        {
            return Optional.ofNullable(tasks.get(pipeline + "-" + partition));
        }

        @Override
        public long writeDimensionSnapshot(String pipeline, Path file)
                throws IOException
        {
            if (!pipeline.equals("clicks")) {
                throw new IllegalArgumentException("no pipeline " + pipeline);
            }
            byte[] content = snapshot;
            if (content == null) {
                throw new IllegalStateException("dimension 'users' is loading");
            }
            Files.write(file, content);
            return 42;
        }
    }
}
