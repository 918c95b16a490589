package io.kaflowsql.coordinator.assignment;

import java.util.Map;
import java.util.Set;

/**
 * Turns a target assignment into the next step towards it. PLACEHOLDER: moves at once.
 */
public final class MovePlanner
{
    private MovePlanner() {}

    /**
     * @param liveNodes nodes that are members now (a gone owner cannot hand over: its tasks move at once)
     * @param readyToTakeOver task -> nodes holding a warm copy of it, fresh enough to take it over now
     */
    public static Assignment stage(Assignment current, Assignment target, Set<String> liveNodes, Map<TaskId, Set<String>> readyToTakeOver)
    {
        return target;
    }
}
