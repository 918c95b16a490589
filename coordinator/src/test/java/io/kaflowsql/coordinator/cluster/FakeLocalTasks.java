package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.TaskId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-memory {@link LocalTasks}: owns what it is told at once, warms by marking the task warm, and records every
 * call plus any violation of the contract (owning a task whose pipeline is not ready here). Thread-safe.
 */
class FakeLocalTasks
        implements LocalTasks
{
    record WarmCall(TaskId task, String ownerAddress) {}

    private final Set<TaskId> known;
    private volatile Set<String> ready;
    private volatile Set<TaskId> owned = Set.of();
    private final Map<TaskId, Long> warm = new ConcurrentHashMap<>();
    private final List<Set<TaskId>> ownCalls = new CopyOnWriteArrayList<>();
    private final List<Set<TaskId>> prepareCalls = new CopyOnWriteArrayList<>();
    private final List<Runnable> ownershipListeners = new CopyOnWriteArrayList<>();
    private final List<WarmCall> warmCalls = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicLong offsets = new AtomicLong(100);

    FakeLocalTasks(Set<TaskId> known, Set<String> ready)
    {
        this.known = Set.copyOf(known);
        this.ready = Set.copyOf(ready);
    }

    static Set<TaskId> tasks(String pipeline, int partitions)
    {
        Set<TaskId> tasks = new TreeSet<>();
        for (int partition = 0; partition < partitions; partition++) {
            tasks.add(new TaskId(pipeline, partition));
        }
        return tasks;
    }

    void setReady(Set<String> pipelines)
    {
        ready = Set.copyOf(pipelines);
    }

    @Override
    public Set<TaskId> knownTasks()
    {
        return known;
    }

    @Override
    public Set<String> readyPipelines()
    {
        return ready;
    }

    @Override
    public void own(Set<TaskId> tasks)
    {
        for (TaskId task : tasks) {
            if (!ready.contains(task.pipeline())) {
                violations.add("owned " + task + " before pipeline " + task.pipeline() + " was ready");
            }
        }
        ownCalls.add(Set.copyOf(tasks));
        owned = Set.copyOf(tasks);
        ownershipListeners.forEach(Runnable::run);
    }

    @Override
    public void prepare(Set<TaskId> incoming)
    {
        prepareCalls.add(Set.copyOf(incoming));
        ownershipListeners.forEach(Runnable::run);
    }

    @Override
    public void onOwnedTasksChanged(Runnable listener)
    {
        ownershipListeners.add(listener);
    }

    @Override
    public Set<TaskId> preparedTasks()
    {
        return prepareCalls.isEmpty() ? Set.of() : prepareCalls.get(prepareCalls.size() - 1);
    }

    List<Set<TaskId>> prepareCalls()
    {
        return prepareCalls;
    }

    @Override
    public Set<TaskId> ownedTasks()
    {
        return owned;
    }

    @Override
    public Map<TaskId, Long> warmTasks()
    {
        return new TreeMap<>(warm);
    }

    @Override
    public long warm(TaskId task, String ownerAddress)
    {
        warmCalls.add(new WarmCall(task, ownerAddress));
        long offset = offsets.incrementAndGet();
        warm.put(task, offset);
        return offset;
    }

    List<Set<TaskId>> ownCalls()
    {
        return new ArrayList<>(ownCalls);
    }

    List<WarmCall> warmCalls()
    {
        return new ArrayList<>(warmCalls);
    }

    List<String> violations()
    {
        return new ArrayList<>(violations);
    }
}
