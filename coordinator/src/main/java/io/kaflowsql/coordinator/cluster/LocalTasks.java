package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.TaskId;

import java.util.Map;
import java.util.Set;

/**
 * What the coordinator drives on this node: the tasks of the pipelines deployed here. The node implements
 * it over its pipeline runtimes; the coordinator never touches Kafka or RocksDB itself.
 *
 * <p>Implementations are thread-safe.
 */
public interface LocalTasks
{
    /** Every task of every pipeline deployed here whose driving topic's partition count is known. */
    Set<TaskId> knownTasks();

    /** Pipelines whose dimension tables are ready here: their tasks may be given to this node. */
    Set<String> readyPipelines();

    /**
     * Makes this node own exactly {@code tasks}: the others are released (committed, checkpointed, closed),
     * the new ones opened (fencing the previous owner, restoring state). Returns at once; the change happens
     * on the pipelines' stream threads. Called with the latest assignment only.
     */
    void own(Set<TaskId> tasks);

    /**
     * Names the tasks about to be handed to this node: assigned here, but their previous owner has not released
     * them yet. Their state is restored ahead, so the hand-over itself only fences and reads the changelog tail.
     * Called with the latest assignment only; a later call replaces an earlier one.
     */
    void prepare(Set<TaskId> incoming);

    /** Tasks named by {@link #prepare} whose state is restored ahead here: their previous owner may release them now. */
    Set<TaskId> preparedTasks();

    /**
     * Runs {@code listener} whenever {@link #ownedTasks()} or {@link #preparedTasks()} changed (right after a task was released or opened, so
     * the coordinator can tell the next owner at once). The listener must return quickly.
     */
    void onOwnedTasksChanged(Runnable listener);

    /** Tasks open and processing on this node right now. */
    Set<TaskId> ownedTasks();

    /** Standby copies held here: task -> changelog offset its newest local checkpoint reflects. */
    Map<TaskId, Long> warmTasks();

    /**
     * Brings this node's standby copy of {@code task} up to date: fetches the newest checkpoint from its
     * owner at {@code ownerAddress} (the owner's state-transfer gRPC address, {@code host:port}) unless the
     * local copy is as new, replays the changelog to its end and checkpoints locally. Blocking (seconds);
     * never called on a coordinator event thread.
     *
     * @return the changelog offset the warmed copy reflects
     * @throws java.util.concurrent.CancellationException when the warm-up stopped early because the task opens on this node
     */
    long warm(TaskId task, String ownerAddress)
            throws Exception;
}
