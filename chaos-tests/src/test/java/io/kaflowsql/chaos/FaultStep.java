package io.kaflowsql.chaos;

import java.time.Duration;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * One step of a chaos schedule: inject {@code fault} on {@code target}, {@code after} the previous step ended (the
 * cluster had recovered from it), for {@code lasting}. {@code seed} feeds the step's own random choices (which node a
 * target picks, SIGKILL or SIGTERM for a broker bounce, ...), so a schedule repeats from its seed.
 *
 * <p>Immutable; thread-safe.
 */
record FaultStep(int number, Fault fault, Target target, Duration after, Duration lasting, long seed)
{
    FaultStep
    {
        requireNonNull(fault, "fault is null");
        requireNonNull(target, "target is null");
        requireNonNull(after, "after is null");
        requireNonNull(lasting, "lasting is null");
        if (after.isNegative() || lasting.isNegative()) {
            throw new IllegalArgumentException("after and lasting must not be negative: " + after + ", " + lasting);
        }
    }

    /** A fresh random source for this step's choices; the same for the same seed. */
    Random random()
    {
        return new Random(seed);
    }

    /** One line of a printed schedule, e.g. {@code #3  after 5 s: PAUSE on the leader for 18 s}. */
    @Override
    public String toString()
    {
        return String.format("#%-2d after %3d s: %s on %s%s", number, after.toSeconds(), fault, target,
                lasting.isZero() ? "" : " for " + lasting.toSeconds() + " s");
    }

    /** The step as a label on the timeline. */
    String label()
    {
        return "#" + number + " " + fault + (lasting.isZero() ? "" : " " + lasting.toSeconds() + "s");
    }
}
