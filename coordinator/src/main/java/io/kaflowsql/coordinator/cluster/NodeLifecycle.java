package io.kaflowsql.coordinator.cluster;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a node in the cluster.
 *
 * <pre>
 * JOINING --> BOOTSTRAPPING --> READY --> DRAINING --> LEFT
 *    |              |             |                     ^
 *    +--------------+-------------+---------------------+   (close() from any state)
 *    |              |
 *    +--------------+----------------> DRAINING             (drain() before READY)
 * </pre>
 *
 * <ul>
 *   <li>JOINING: the member started and waits for the cluster to reach {@code cluster.min-size}.</li>
 *   <li>BOOTSTRAPPING: waits until the dimensions of every deployed pipeline are ready here.</li>
 *   <li>READY: takes tasks.</li>
 *   <li>DRAINING: takes no new tasks; the leader moves its tasks away with planned moves.</li>
 *   <li>LEFT: the member shut down (terminal).</li>
 * </ul>
 */
public enum NodeLifecycle
{
    JOINING, BOOTSTRAPPING, READY, DRAINING, LEFT;

    public Set<NodeLifecycle> successors()
    {
        return switch (this) {
            case JOINING -> EnumSet.of(BOOTSTRAPPING, DRAINING, LEFT);
            case BOOTSTRAPPING -> EnumSet.of(READY, DRAINING, LEFT);
            case READY -> EnumSet.of(DRAINING, LEFT);
            case DRAINING -> EnumSet.of(LEFT);
            case LEFT -> EnumSet.noneOf(NodeLifecycle.class);
        };
    }

    public boolean canMoveTo(NodeLifecycle next)
    {
        return successors().contains(next);
    }

    /** Whether the node may be given tasks. */
    public boolean acceptsTasks()
    {
        return this == READY;
    }
}
