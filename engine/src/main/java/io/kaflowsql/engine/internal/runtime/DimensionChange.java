package io.kaflowsql.engine.internal.runtime;

/** A dimension row was upserted: held records waiting on (source, joinValue) may now complete. */
record DimensionChange(int source, String joinValue) {}
