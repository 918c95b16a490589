package io.kaflowsql.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.kaflowsql.chaos.ChaosSchedule.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/** The fluent schedule and the schedules drawn from a seed: readable, with defaults, and the same for the same seed. */
class ChaosScheduleFormatTest
{
    @Test
    void fluentStepsKeepWhatTheySayAndDefaultTheRest()
    {
        ChaosSchedule chaos = new ChaosSchedule(1);
        chaos.inject(Fault.PAUSE).on(Target.leader()).after(seconds(10)).lasting(seconds(18));
        chaos.inject(Fault.BROKER_BOUNCE);

        List<FaultStep> steps = chaos.steps();

        assertThat(steps.get(0).toString()).isEqualTo("#1  after  10 s: PAUSE on the leader for 18 s");
        assertThat(steps.get(1).target()).isEqualTo(Target.broker());
        assertThat(steps.get(1).after()).isZero();
        assertThat(steps.get(1).lasting()).isEqualTo(Fault.BROKER_BOUNCE.defaultDuration());
        assertThat(steps.get(0).seed()).isNotEqualTo(steps.get(1).seed());
    }

    @Test
    void sameSeedGivesTheSameScheduleAndAnotherSeedAnother()
    {
        List<Fault> faults = Arrays.asList(Fault.values());

        assertThat(ChaosSchedule.random(42, Duration.ofMinutes(30), faults).steps()).isEqualTo(ChaosSchedule.random(42, Duration.ofMinutes(30), faults).steps());
        assertThat(ChaosSchedule.random(42, Duration.ofMinutes(30), faults).toString()).isNotEqualTo(ChaosSchedule.random(43, Duration.ofMinutes(30), faults).toString());
    }

    @Test
    void coveringScheduleHasEveryFaultOnceWithinItsRanges()
    {
        List<Fault> faults = List.of(Fault.PARTITION, Fault.PAUSE, Fault.KILL, Fault.BROKER_SLOW);

        List<FaultStep> steps = ChaosSchedule.covering(5, faults).steps();

        assertThat(steps).extracting(FaultStep::fault).containsExactlyInAnyOrderElementsOf(faults);
        assertThat(steps).allSatisfy(step -> {
            assertThat(step.fault().targets()).contains(step.target());
            assertThat(step.lasting().toSeconds()).isBetween((long) step.fault().minSeconds(), (long) step.fault().maxSeconds());
        });
    }

    @Test
    void longScheduleFillsItsDurationCoversEveryFaultAndUpgradesOnce()
    {
        List<Fault> faults = Arrays.asList(Fault.values());

        List<FaultStep> steps = ChaosSchedule.random(9, Duration.ofMinutes(60), faults).steps();

        long planned = steps.stream().mapToLong(step -> step.after().toSeconds() + step.lasting().toSeconds() + step.fault().estimatedSeconds()).sum();
        assertThat(planned).isGreaterThanOrEqualTo(3600);
        assertThat(steps).extracting(FaultStep::fault).containsAll(faults.stream().filter(fault -> fault != Fault.ROLLING_UPGRADE).toList());
        assertThat(steps).filteredOn(step -> step.fault() == Fault.ROLLING_UPGRADE).hasSizeLessThanOrEqualTo(1);
    }
}
