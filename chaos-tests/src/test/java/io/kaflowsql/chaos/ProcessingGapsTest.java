package io.kaflowsql.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** Processing gaps: spans with waiting input and no output, per partition. */
class ProcessingGapsTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void steadyOutputHasNoGapAndAStallIsOneGapFromTheFirstWaitingClick()
    {
        List<ProcessingGaps.Click> clicks = List.of(
                click(0, 1, 1.2), click(0, 2, 2.2), click(0, 3, 9.0), click(0, 4, 9.1), click(0, 5, 9.2),
                click(1, 1, 1.1), click(1, 2, 2.1), click(1, 3, 3.1));

        List<ProcessingGaps.Gap> gaps = ProcessingGaps.find(clicks, 2.0, 20 * SECOND);

        assertThat(gaps).singleElement().satisfies(gap -> {
            assertThat(gap.partition()).isZero();
            assertThat(gap.startNanos()).isEqualTo(3 * SECOND);
            assertThat(gap.seconds(20 * SECOND)).isCloseTo(6.0, offset(0.01));
        });
    }

    @Test
    void idlePartitionIsNoGap()
    {
        List<ProcessingGaps.Click> clicks = List.of(click(0, 1, 1.1), click(0, 30, 30.1));

        assertThat(ProcessingGaps.find(clicks, 2.0, 40 * SECOND)).isEmpty();
    }

    @Test
    void clickNeverOutputIsAGapThatNeverEnded()
    {
        List<ProcessingGaps.Click> clicks = List.of(click(0, 1, 1.1), new ProcessingGaps.Click(0, 2 * SECOND, 0));

        assertThat(ProcessingGaps.find(clicks, 2.0, 10 * SECOND)).singleElement().satisfies(gap -> assertThat(gap.endNanos()).isZero());
    }

    @Test
    void latencyPercentilesOverClicksRead()
    {
        List<ProcessingGaps.Click> clicks = List.of(click(0, 1, 1.1), click(0, 2, 2.3), new ProcessingGaps.Click(0, 3 * SECOND, 0));

        ProcessingGaps.Latency latency = ProcessingGaps.latency(clicks);

        assertThat(latency.clicks()).isEqualTo(2);
        assertThat(latency.max()).isCloseTo(300, offset(0.01));
    }

    private static ProcessingGaps.Click click(int partition, double acked, double seen)
    {
        return new ProcessingGaps.Click(partition, (long) (acked * SECOND), (long) (seen * SECOND));
    }
}
