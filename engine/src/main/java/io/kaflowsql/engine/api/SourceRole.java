package io.kaflowsql.engine.api;

/** The part a topic plays in a pipeline (see ARCHITECTURE.md section 3). */
public enum SourceRole
{
    /** The {@code FROM} table: each record that passes WHERE yields at most one output. */
    DRIVING,
    /** Listed in {@code state.dimensions}: latest row per key, never expires, full copy on every node. */
    DIMENSION,
    /** Any other joined topic: latest row per key, partitioned like the driving stream, expires by TTL. */
    EVENT_TABLE
}
