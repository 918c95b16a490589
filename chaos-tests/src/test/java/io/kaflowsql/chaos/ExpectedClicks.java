package io.kaflowsql.chaos;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;

import java.util.List;

/**
 * Which live records are clicks that pass WHERE (by their position in the feeder's order), so a run can ask cheaply
 * whether the output has caught up with the input written so far. Only for pacing the run; the verdict comes from
 * {@link OutputChecker}, which reads the input back.
 *
 * <p>Not thread-safe (a cursor moves forward): one scenario thread asks.
 */
final class ExpectedClicks
{
    private final String[] eventIds;
    private final int count;
    private int cursor;

    ExpectedClicks(List<GeneratedRecord> live)
    {
        this.eventIds = new String[live.size()];
        int kept = 0;
        for (int i = 0; i < live.size(); i++) {
            GeneratedRecord record = live.get(i);
            if (record.topic().equals(PersonalizationTopics.CLICKSTREAMS)) {
                var click = OutputValues.parse(record.json());
                if (SeedEnrichment.passesWhere(click)) {
                    eventIds[i] = OutputValues.eventId(click);
                    kept++;
                }
            }
        }
        this.count = kept;
    }

    /** Clicks among all the live records that pass WHERE. */
    int count()
    {
        return count;
    }

    /** Whether the output holds every click that passes WHERE among the first {@code written} live records. */
    boolean allSeenUpTo(int written, OutputRecorder output)
    {
        while (cursor < written && (eventIds[cursor] == null || output.contains(eventIds[cursor]))) {
            cursor++;
        }
        return cursor >= written;
    }
}
