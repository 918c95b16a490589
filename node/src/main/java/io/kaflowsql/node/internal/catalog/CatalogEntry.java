package io.kaflowsql.node.internal.catalog;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One pipeline's record in the durable catalog (the value under its name in the catalog topic).
 *
 * <p>With {@code yaml} the entry deploys a pipeline ("catalog pipeline"); without it, it only carries the state of a
 * pipeline defined by the nodes' pipeline files ("file pipeline" paused or resumed through the admin API). Immutable.
 *
 * @param revision counts the changes of this name: 1 for the first deploy, one more for every later deploy, pause or
 *        resume
 * @param updatedAt when the leader accepted the change
 */
public record CatalogEntry(String name, Optional<String> yaml, State state, long revision, Instant updatedAt)
{
    /** What the nodes do with the pipeline. */
    public enum State
    {
        RUNNING, PAUSED
    }

    public CatalogEntry
    {
        requireNonNull(name, "name is null");
        requireNonNull(yaml, "yaml is null");
        requireNonNull(state, "state is null");
        requireNonNull(updatedAt, "updatedAt is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a catalog entry needs a pipeline name");
        }
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1, got " + revision);
        }
    }

    /** Deploys {@code yaml} under {@code name}. */
    public static CatalogEntry deployed(String name, String yaml, State state, long revision, Instant updatedAt)
    {
        return new CatalogEntry(name, Optional.of(yaml), state, revision, updatedAt);
    }

    /** Only the state of a file pipeline. */
    public static CatalogEntry stateOnly(String name, State state, long revision, Instant updatedAt)
    {
        return new CatalogEntry(name, Optional.empty(), state, revision, updatedAt);
    }

    public CatalogEntry withState(State newState, Instant at)
    {
        return new CatalogEntry(name, yaml, newState, revision + 1, at);
    }

    public boolean paused()
    {
        return state == State.PAUSED;
    }
}
