package io.kaflowsql.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's crash test in {@code exactly_once}: the node halts itself once between sending a
 * transaction's outputs and committing it, once in the middle of writing a checkpoint, and is
 * SIGKILLed twice at random times, each while clicks keep arriving, and is restarted each time. Read
 * with read_committed, the output must hold every click that passes WHERE exactly once, enriched as
 * the seed query says, with nothing committed outside a transaction or by a fenced epoch.
 */
class ExactlyOnceCrashTest
{
    @Test
    void nodeKilledMidTransactionMidCheckpointAndAtRandomEmitsEveryEnrichedClickExactlyOnce(@TempDir Path dir)
            throws Exception
    {
        CrashScenario.Settings settings = new CrashScenario.Settings("exactly_once", 4_000, 150, 4,
                List.of(Crash.haltInTransaction(8), Crash.haltInCheckpoint(3), Crash.sigkill(), Crash.sigkill()), "500ms", ChaosSeeds.killSeed());

        CrashScenario.Result result = new CrashScenario(settings).run(dir);

        ChaosReport report = result.report();
        assertThat(result.nodeStarts()).isEqualTo(5);
        assertThat(report.exactlyOnce())
                .as(() -> "every expected click exactly once, enriched as the seed query says\n" + report.describe() + "\n" + result.nodeOutput())
                .isTrue();
        assertThat(report.records()).isEqualTo(report.expected());
    }
}
