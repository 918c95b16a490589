package io.kaflowsql.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * A list of faults to inject one after another, written fluently:
 *
 * <pre>{@code
 * ChaosSchedule chaos = new ChaosSchedule(seed);
 * chaos.inject(Fault.PAUSE).on(Target.leader()).after(seconds(10)).lasting(seconds(18));
 * chaos.inject(Fault.BROKER_BOUNCE).lasting(seconds(8));
 * chaos.inject(Fault.KILL_MID_HANDOVER);
 * }</pre>
 *
 * A step without {@code on} hits the fault's default target, without {@code after} starts as soon as the cluster has
 * recovered from the previous step, without {@code lasting} lasts the fault's shortest random duration. Each step
 * gets its own seed, drawn from the schedule's seed in order, for the random choices it makes when injected.
 * {@link #random} and {@link #covering} build whole schedules from a seed. A {@link ChaosRunner} runs them.
 *
 * <p>Not thread-safe while being written; {@link #steps} is an immutable snapshot.
 */
final class ChaosSchedule
{
    private static final int MIN_AFTER_SECONDS = 2;
    private static final int MAX_AFTER_SECONDS = 12;

    private final long seed;
    private final Random seeds;
    private final List<StepBuilder> steps = new ArrayList<>();

    ChaosSchedule(long seed)
    {
        this.seed = seed;
        this.seeds = new Random(seed);
    }

    static Duration seconds(long seconds)
    {
        return Duration.ofSeconds(seconds);
    }

    /** Adds a step injecting {@code fault}; the returned builder refines it. */
    StepBuilder inject(Fault fault)
    {
        StepBuilder step = new StepBuilder(steps.size() + 1, fault, seeds.nextLong());
        steps.add(step);
        return step;
    }

    long seed()
    {
        return seed;
    }

    List<FaultStep> steps()
    {
        return steps.stream().map(StepBuilder::build).toList();
    }

    /**
     * Every fault of {@code faults} once, in a random order, each with a random target among the fault's, a random
     * pause before it and a random duration in the fault's range: the short CI schedule.
     */
    static ChaosSchedule covering(long seed, List<Fault> faults)
    {
        ChaosSchedule schedule = new ChaosSchedule(seed);
        Random random = new Random(seed ^ 0xC0FFEEL);
        List<Fault> order = new ArrayList<>(faults);
        Collections.shuffle(order, random);
        order.forEach(fault -> schedule.randomStep(fault, random));
        return schedule;
    }

    /**
     * Random faults drawn from {@code faults} until their durations, pauses and estimated recoveries fill
     * {@code duration}: the long run. Each fault comes up once in every round of {@code faults.size()} draws (a
     * shuffled deck, reshuffled when used up), so a long run covers them all evenly; {@link Fault#ROLLING_UPGRADE}
     * comes up once at most (a node cannot go beyond N+1).
     */
    static ChaosSchedule random(long seed, Duration duration, List<Fault> faults)
    {
        ChaosSchedule schedule = new ChaosSchedule(seed);
        Random random = new Random(seed ^ 0xC0FFEEL);
        List<Fault> deck = new ArrayList<>();
        boolean upgraded = false;
        long planned = 0;
        while (planned < duration.toSeconds()) {
            if (deck.isEmpty()) {
                deck.addAll(faults);
                Collections.shuffle(deck, random);
            }
            Fault fault = deck.remove(deck.size() - 1);
            if (fault == Fault.ROLLING_UPGRADE && upgraded) {
                continue;
            }
            upgraded |= fault == Fault.ROLLING_UPGRADE;
            FaultStep step = schedule.randomStep(fault, random).build();
            planned += step.after().toSeconds() + step.lasting().toSeconds() + fault.estimatedSeconds();
        }
        return schedule;
    }

    private StepBuilder randomStep(Fault fault, Random random)
    {
        Target target = fault.targets().get(random.nextInt(fault.targets().size()));
        int after = MIN_AFTER_SECONDS + random.nextInt(MAX_AFTER_SECONDS - MIN_AFTER_SECONDS + 1);
        int lasting = fault.minSeconds() + random.nextInt(fault.maxSeconds() - fault.minSeconds() + 1);
        return inject(fault).on(target).after(seconds(after)).lasting(seconds(lasting));
    }

    /** The schedule as printed before a run: its seed, then one line per step. */
    @Override
    public String toString()
    {
        StringBuilder text = new StringBuilder("chaos schedule, seed " + seed + ", " + steps.size() + " steps:\n");
        steps().forEach(step -> text.append("  ").append(step).append('\n'));
        return text.toString().stripTrailing();
    }

    /** One step while it is written. Not thread-safe. */
    static final class StepBuilder
    {
        private final int number;
        private final Fault fault;
        private final long seed;
        private Target target;
        private Duration after = Duration.ZERO;
        private Duration lasting;

        private StepBuilder(int number, Fault fault, long seed)
        {
            this.number = number;
            this.fault = requireNonNull(fault, "fault is null");
            this.seed = seed;
            this.target = fault.defaultTarget();
            this.lasting = fault.defaultDuration();
        }

        StepBuilder on(Target target)
        {
            this.target = requireNonNull(target, "target is null");
            return this;
        }

        /** How long after the cluster recovered from the previous step this one starts. */
        StepBuilder after(Duration after)
        {
            this.after = requireNonNull(after, "after is null");
            return this;
        }

        /** How long the fault lasts (a node stays dead, paused or cut off; the broker stays down or slow). */
        StepBuilder lasting(Duration lasting)
        {
            this.lasting = requireNonNull(lasting, "lasting is null");
            return this;
        }

        FaultStep build()
        {
            return new FaultStep(number, fault, target, after, lasting, seed);
        }
    }
}
