package io.kaflowsql.chaos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One way a node incarnation dies in a scenario.
 *
 * <ul>
 *   <li>{@link Kind#HALT_IN_TRANSACTION}: the node halts itself ({@code Runtime.halt}) after the outputs
 *       of its {@code ordinal}-th transaction were sent but before the commit
 *       ({@code -Dkaflowsql.fault.halt-in-transaction=N}).</li>
 *   <li>{@link Kind#HALT_IN_CHECKPOINT}: the node halts itself while writing its {@code ordinal}-th
 *       checkpoint, files written but not yet published ({@code -Dkaflowsql.fault.halt-in-checkpoint=N}).</li>
 *   <li>{@link Kind#SIGKILL}: the harness sends SIGKILL at a random time after the node is ready.</li>
 * </ul>
 *
 * @param ordinal the N of the fault-injection switch; 0 for {@link Kind#SIGKILL}
 */
record Crash(Kind kind, int ordinal)
{
    enum Kind
    {
        HALT_IN_TRANSACTION("halt-in-transaction"),
        HALT_IN_CHECKPOINT("halt-in-checkpoint"),
        SIGKILL(null);

        private final String faultPoint;

        Kind(String faultPoint)
        {
            this.faultPoint = faultPoint;
        }
    }

    Crash
    {
        requireNonNull(kind, "kind is null");
        if (kind == Kind.SIGKILL ? ordinal != 0 : ordinal < 1) {
            throw new IllegalArgumentException("ordinal " + ordinal + " does not fit " + kind);
        }
    }

    static Crash haltInTransaction(int transaction)
    {
        return new Crash(Kind.HALT_IN_TRANSACTION, transaction);
    }

    static Crash haltInCheckpoint(int checkpoint)
    {
        return new Crash(Kind.HALT_IN_CHECKPOINT, checkpoint);
    }

    static Crash sigkill()
    {
        return new Crash(Kind.SIGKILL, 0);
    }

    /** Whether the node kills itself (a fault-injection switch) rather than being killed by the harness. */
    boolean selfInflicted()
    {
        return kind.faultPoint != null;
    }

    /** The line the node prints when the fault fires (engine {@code FaultInjection}). */
    String faultLine()
    {
        if (!selfInflicted()) {
            throw new IllegalStateException(kind + " is not a fault-injection point");
        }
        return "FAULT INJECTION: halting at " + kind.faultPoint + " #" + ordinal;
    }

    /** The {@code -D} options that arm this crash in the node JVM. */
    List<String> systemProperties()
    {
        return selfInflicted() ? List.of("-Dkaflowsql.fault." + kind.faultPoint + "=" + ordinal) : List.of();
    }

    @Override
    public String toString()
    {
        return selfInflicted() ? kind.faultPoint + " #" + ordinal : "SIGKILL at a random time";
    }
}
