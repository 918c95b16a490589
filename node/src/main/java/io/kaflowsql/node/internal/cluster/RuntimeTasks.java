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

import static java.util.Objects.requireNonNull;

/**
 * The coordinator's view of this node's pipeline runtimes ({@link LocalTasks}): which tasks exist, which
 * pipelines have their dimensions ready, which tasks are open, and which standby copies lie on disk.
 *
 * <p>A standby copy is any local checkpoint of a task this node does not own — including one left by an
 * earlier run of the node, so a restarted node advertises its state and gets its tasks back cheaply.
 *
 * <p>Thread-safe: the runtimes are; this class keeps no mutable state.
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

    private final Map<String, PipelineRuntime> runtimes;
    private final CheckpointFetcher fetcher;

    RuntimeTasks(List<PipelineRuntime> runtimes, CheckpointFetcher fetcher)
    {
        Map<String, PipelineRuntime> byName = new TreeMap<>();
        runtimes.forEach(runtime -> byName.put(runtime.pipeline().name(), runtime));
        this.runtimes = Map.copyOf(byName);
        this.fetcher = requireNonNull(fetcher, "fetcher is null");
    }

    @Override
    public Set<TaskId> knownTasks()
    {
        Set<TaskId> tasks = new TreeSet<>();
        runtimes.forEach((name, runtime) -> {
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
        runtimes.forEach((name, runtime) -> {
            if (runtime.dimensionsReady() && runtime.state() == PipelineRuntime.State.RUNNING) {
                ready.add(name);
            }
        });
        return ready;
    }

    @Override
    public void own(Set<TaskId> tasks)
    {
        byPipeline(tasks).forEach((name, partitions) -> runtimes.get(name).own(partitions));
    }

    @Override
    public void prepare(Set<TaskId> incoming)
    {
        byPipeline(incoming).forEach((name, partitions) -> runtimes.get(name).prepare(partitions));
    }

    @Override
    public Set<TaskId> preparedTasks()
    {
        Set<TaskId> prepared = new TreeSet<>();
        runtimes.forEach((name, runtime) -> runtime.preparedPartitions().forEach(p -> prepared.add(new TaskId(name, p))));
        return prepared;
    }

    @Override
    public void onOwnedTasksChanged(Runnable listener)
    {
        runtimes.values().forEach(runtime -> runtime.onOwnedPartitionsChanged(listener));
    }

    /** Partitions of {@code tasks} per deployed pipeline (every pipeline present; tasks of others ignored). */
    private Map<String, Set<Integer>> byPipeline(Set<TaskId> tasks)
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
        runtimes.forEach((name, runtime) -> runtime.ownedPartitions().forEach(p -> owned.add(new TaskId(name, p))));
        return owned;
    }

    @Override
    public Map<TaskId, Long> warmTasks()
    {
        Set<TaskId> owned = ownedTasks();
        Map<TaskId, Long> warm = new TreeMap<>();
        for (TaskId task : knownTasks()) {
            if (!owned.contains(task)) {
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
        PipelineRuntime runtime = runtimes.get(task.pipeline());
        if (runtime == null) {
            throw new IllegalArgumentException("pipeline " + task.pipeline() + " is not deployed on this node");
        }
        fetcher.fetch(task, ownerAddress, runtime.taskState(task.partition()));
        return runtime.warm(task.partition());
    }
}
