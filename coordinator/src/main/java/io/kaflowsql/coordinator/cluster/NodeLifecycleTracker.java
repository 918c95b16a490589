package io.kaflowsql.coordinator.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Holds a node's {@link NodeLifecycle} and enforces its legal transitions. Every transition is logged at INFO
 * and reported to the listeners, which run on the caller's thread after the state changed, outside the lock (a
 * listener may read the state but sees later transitions only through later calls).
 *
 * <p>Thread-safe.
 */
public final class NodeLifecycleTracker
{
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycleTracker.class);

    private final String nodeId;
    private final List<BiConsumer<NodeLifecycle, NodeLifecycle>> listeners = new CopyOnWriteArrayList<>();
    private NodeLifecycle state = NodeLifecycle.JOINING;

    public NodeLifecycleTracker(String nodeId)
    {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
    }

    public synchronized NodeLifecycle state()
    {
        return state;
    }

    /** Adds a listener called with (from, to) on every later transition. */
    public void addListener(BiConsumer<NodeLifecycle, NodeLifecycle> listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Moves to {@code next} if that is a legal transition from the current state.
     *
     * @return whether the state changed (false if already there or the move is not allowed)
     */
    public boolean moveTo(NodeLifecycle next)
    {
        requireNonNull(next, "next is null");
        NodeLifecycle previous;
        synchronized (this) {
            if (!state.canMoveTo(next)) {
                return false;
            }
            previous = state;
            state = next;
        }
        log.info("Node {} lifecycle: {} -> {}", nodeId, previous, next);
        for (BiConsumer<NodeLifecycle, NodeLifecycle> listener : listeners) {
            try {
                listener.accept(previous, next);
            }
            catch (RuntimeException e) {
                log.warn("Lifecycle listener failed on {} -> {}", previous, next, e);
            }
        }
        return true;
    }
}
