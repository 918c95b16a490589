package io.kaflowsql.coordinator.transfer;

import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.StoredRow;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.SupportedVersions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * State transfer between nodes of adjacent versions: N (reads protocol 1) and N+1 (reads 1 and 2). A mixed cluster
 * negotiates version 1 and transfers both ways; a node speaking a version its peer does not read is refused with
 * FAILED_PRECONDITION, and a client refuses an answer in a version it does not read.
 */
class StateTransferVersionTest
{
    private static final SupportedVersions N = SupportedVersions.current();
    private static final SupportedVersions N_PLUS_1 = SupportedVersions.bumped();

    @TempDir
    Path root;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close()
            throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void mixedClusterTransfersCheckpointsBothWays()
            throws IOException
    {
        FormatVersions n = FormatVersions.of(N);
        FormatVersions nPlusOne = FormatVersions.of(N_PLUS_1);
        n.negotiate(List.of(N, N_PLUS_1));
        nPlusOne.negotiate(List.of(N, N_PLUS_1));

        assertThat(fetch(server("n", n), nPlusOne, "from-n")).isPresent();
        assertThat(fetch(server("n-plus-1", nPlusOne), n, "from-n-plus-1")).isPresent();
    }

    @Test
    void nodeOfVersionNRefusesACallerSpeakingNPlusOne()
            throws IOException
    {
        int port = server("n", FormatVersions.standalone(N));
        FormatVersions newer = FormatVersions.standalone(N_PLUS_1);

        assertThatThrownBy(() -> fetch(port, newer, "refused"))
                .isInstanceOf(StateTransferException.class)
                .hasMessageContaining("FAILED_PRECONDITION")
                .hasMessageContaining("protocol version 2, this node reads versions 1")
                .hasCauseInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void clientOfVersionNRefusesAnAnswerInNPlusOne()
            throws IOException
    {
        FormatVersions serverVersions = FormatVersions.standalone(N_PLUS_1);
        int port = server("n-plus-1", serverVersions);

        assertThatThrownBy(() -> fetch(port, FormatVersions.standalone(N), "refused"))
                .isInstanceOf(StateTransferException.class)
                .hasMessageContaining("state-transfer protocol of the peer offering the checkpoint")
                .hasMessageContaining("has format version 2, this node reads versions 1");
    }

    private int server(String name, FormatVersions formats)
            throws IOException
    {
        Path taskDir = root.resolve(name).resolve("task-0");
        TaskStateDirectory directory = new TaskStateDirectory(taskDir, 2);
        // version 1, which both read: what is tested here is the protocol version
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2, FormatVersions.of(N));
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(1, Long.MAX_VALUE, new Object[] {name}));
            checkpoints.write(store, 12, Map.of("clicks-0", 5L), 1);
        }
        TransferSources sources = new TransferSources()
        {
            @Override
            public Optional<TaskStateDirectory> taskState(String pipeline, int partition)
            {
                return Optional.of(directory);
            }

            @Override
            public long writeDimensionSnapshot(String pipeline, Path file)
            {
                throw new IllegalStateException("no dimensions here");
            }
        };
        StateTransferService service = new StateTransferService(sources, root.resolve(name).resolve("work"), Clock.systemUTC(), Duration.ofMinutes(1),
                4096, formats);
        StateTransferServer server = StateTransferServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), service, List.of(), List.of());
        closeables.add(server);
        return server.port();
    }

    private Optional<TaskStateDirectory.CheckpointFiles> fetch(int port, FormatVersions formats, String receiver)
    {
        try (StateTransferClient client = new StateTransferClient("127.0.0.1:" + port,
                new StateTransferClient.Settings(2, Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofSeconds(1)), Clock.systemUTC(),
                InsecureChannelCredentials.create(), List.of(), formats)) {
            return client.fetchCheckpoint("clicks", 0, new TaskStateDirectory(root.resolve(receiver), 2));
        }
    }
}
