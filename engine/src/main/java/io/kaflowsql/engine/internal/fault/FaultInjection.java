package io.kaflowsql.engine.internal.fault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic crash points for the crash tests: with {@code -Dkaflowsql.fault.<point>=N} the JVM halts
 * (like {@code kill -9}: no shutdown hooks, no flushing) the N-th time the code passes {@code point}.
 * Without the property a point costs one map lookup of a cached "disabled" entry.
 *
 * <p>Points: {@code halt-in-transaction} (outputs and changelog of a transaction sent, not committed),
 * {@code halt-in-checkpoint} (checkpoint files written, not yet published).
 *
 * <p>Thread-safe.
 */
public final class FaultInjection
{
    public static final String HALT_IN_TRANSACTION = "halt-in-transaction";
    public static final String HALT_IN_CHECKPOINT = "halt-in-checkpoint";

    private static final Map<String, Point> POINTS = new ConcurrentHashMap<>();

    private FaultInjection() {}

    /** Halts the JVM with exit code 137 if this is the configured occurrence of {@code point}. */
    public static void reached(String point)
    {
        Point configured = POINTS.computeIfAbsent(point, FaultInjection::configured);
        if (configured.haltAt() > 0 && configured.passes().incrementAndGet() == configured.haltAt()) {
            System.err.println("FAULT INJECTION: halting at " + point + " #" + configured.haltAt());
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }

    private static Point configured(String point)
    {
        String value = System.getProperty("kaflowsql.fault." + point);
        return new Point(value == null ? 0 : Long.parseLong(value.strip()), new AtomicLong());
    }

    private record Point(long haltAt, AtomicLong passes) {}
}
