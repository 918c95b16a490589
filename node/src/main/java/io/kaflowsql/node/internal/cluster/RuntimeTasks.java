package io.kaflowsql.node.internal.cluster;

import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.coordinator.cluster.LocalTasks;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The coordinator's view of this node's pipeline runtimes ({@link LocalTasks}): which tasks exist, which
 * pipelines have their dimensions ready, which tasks are open, and which standby copies lie on disk.
 *
 * <p>A standby copy is any local checkpoint of a task this node does not own — including one left by an
 * earlier run of the node, so a restarted node advertises its state and gets its tasks back cheaply.
 *
 * <p>Pipelines come and go with the catalog: every call reads the current runtimes; a runtime added later is
 * {@linkplain #adopt adopted} (it gets the owned-tasks listeners and the tasks of the ownership in force for its
 * pipeline, since the coordinator only calls {@link #own} when the assignment changes).
 *
 * <p>Thread-safe: the runtimes are; the listeners and the last ownership request are concurrent/volatile.
 */
final class RuntimeTasks
        implements LocalTasks
{
    /** Fetches the owner's newest checkpoint of a task into the local task directory (the state-transfer client). */
    @FunctionalInterface
    interface CheckpointFetcher
    {
        void fetch(TaskId task, String ownerAddress, TaskStateDirectory into)
                throws Exception;
    }

    private final Supplier<Map<String, PipelineRuntime>> current;
    private final CheckpointFetcher fetcher;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Set<TaskId> requested = Set.of();

    /** @param runtimes the runtimes of this node now, by pipeline name */
    RuntimeTasks(Supplier<Map<String, PipelineRuntime>> runtimes, CheckpointFetcher fetcher)
    {
        this.current = requireNonNull(runtimes, "runtimes is null");
        this.fetcher = requireNonNull(fetcher, "fetcher is null");
    }

    /**
     * Takes in a runtime added after the coordinator started (deployed through the catalog, or replacing an earlier
     * one of the same name): it learns the owned-tasks listeners and the tasks of its pipeline in the ownership in
     * force; then the listeners run, so the coordinator publishes the new status at once.
     */
    void adopt(PipelineRuntime runtime)
    {
        listeners.forEach(runtime::onOwnedPartitionsChanged);
        Set<Integer> partitions = new HashSet<>();
        requested.stream().filter(task -> task.pipeline().equals(runtime.pipeline().name())).forEach(task -> partitions.add(task.partition()));
        runtime.own(partitions);
        pipelinesChanged();
    }

    /** A pipeline was added or removed: wakes the coordinator. */
    void pipelinesChanged()
    {
        listeners.forEach(Runnable::run);
    }

    @Override
    public Set<TaskId> knownTasks()
    {
        Set<TaskId> tasks = new TreeSet<>();
        current.get().forEach((name, runtime) -> {
            OptionalInt partitions = runtime.partitionCount();
            for (int p = 0; partitions.isPresent() && p < partitions.getAsInt(); p++) {
                tasks.add(new TaskId(name, p));
            }
        });
        return tasks;
    }

    @Override
    public Set<String> readyPipelines()
    {
        Set<String> ready = new TreeSet<>();
        current.get().forEach((name, runtime) -> {
            if (runtime.dimensionsReady() && runtime.state() == PipelineRuntime.State.RUNNING) {
                ready.add(name);
            }
        });
        return ready;
    }

    @Override
    public void own(Set<TaskId> tasks)
    {
        requested = Set.copyOf(tasks);
        Map<String, PipelineRuntime> runtimes = current.get();
        byPipeline(runtimes, tasks).forEach((name, partitions) -> runtimes.get(name).own(partitions));
    }

    @Override
    public void prepare(Set<TaskId> incoming)
    {
        Map<String, PipelineRuntime> runtimes = current.get();
        byPipeline(runtimes, incoming).forEach((name, partitions) -> runtimes.get(name).prepare(partitions));
    }

    @Override
    public Set<TaskId> preparedTasks()
    {
        Set<TaskId> prepared = new TreeSet<>();
        current.get().forEach((name, runtime) -> runtime.preparedPartitions().forEach(p -> prepared.add(new TaskId(name, p))));
        return prepared;
    }

    @Override
    public void onOwnedTasksChanged(Runnable listener)
    {
        listeners.add(listener);
        current.get().values().forEach(runtime -> runtime.onOwnedPartitionsChanged(listener));
    }

    /** Partitions of {@code tasks} per deployed pipeline (every pipeline present; tasks of others ignored). */
    private static Map<String, Set<Integer>> byPipeline(Map<String, PipelineRuntime> runtimes, Set<TaskId> tasks)
    {
        Map<String, Set<Integer>> partitions = new HashMap<>();
        runtimes.keySet().forEach(name -> partitions.put(name, new HashSet<>()));
        for (TaskId task : tasks) {
            Set<Integer> ofPipeline = partitions.get(task.pipeline());
            if (ofPipeline != null) {
                ofPipeline.add(task.partition());
            }
        }
        return partitions;
    }

    @Override
    public Set<TaskId> ownedTasks()
    {
        Set<TaskId> owned = new TreeSet<>();
        current.get().forEach((name, runtime) -> runtime.ownedPartitions().forEach(p -> owned.add(new TaskId(name, p))));
        return owned;
    }

    @Override
    public Map<TaskId, Long> warmTasks()
    {
        Set<TaskId> owned = ownedTasks();
        Map<String, PipelineRuntime> runtimes = current.get();
        Map<TaskId, Long> warm = new TreeMap<>();
        for (TaskId task : knownTasks()) {
            if (!owned.contains(task) && runtimes.containsKey(task.pipeline())) {
                runtimes.get(task.pipeline()).taskState(task.partition()).newest()
                        .ifPresent(checkpoint -> warm.put(task, checkpoint.changelogOffset()));
            }
        }
        return warm;
    }

    @Override
    public long warm(TaskId task, String ownerAddress)
            throws Exception
    {
        PipelineRuntime runtime = current.get().get(task.pipeline());
        if (runtime == null) {
            throw new IllegalArgumentException("pipeline " + task.pipeline() + " is not deployed on this node");
        }
        fetcher.fetch(task, ownerAddress, runtime.taskState(task.partition()));
        return runtime.warm(task.partition());
    }
}
