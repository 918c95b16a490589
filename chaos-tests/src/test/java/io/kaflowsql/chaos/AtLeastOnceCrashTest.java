package io.kaflowsql.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's crash test in {@code at_least_once}: the node halts itself once in the middle of writing a
 * checkpoint and is SIGKILLed three times at random, each while clicks arrive, and is restarted each
 * time (there is no transaction to halt in under this guarantee). Every click that passes WHERE must
 * reach the output, enriched as the seed query says. Duplicates are allowed: they are counted and printed.
 */
class AtLeastOnceCrashTest
{
    @Test
    void nodeKilledRepeatedlyLosesNoEnrichedClick(@TempDir Path dir)
            throws Exception
    {
        CrashScenario.Settings settings = new CrashScenario.Settings("at_least_once", 4_000, 150, 4,
                List.of(Crash.haltInCheckpoint(3), Crash.sigkill(), Crash.sigkill(), Crash.sigkill()), "500ms", ChaosSeeds.killSeed());

        CrashScenario.Result result = new CrashScenario(settings).run(dir);

        ChaosReport report = result.report();
        System.out.printf("[chaos] at_least_once: %d duplicate copies over %d event ids after %d node starts%n",
                report.duplicateCopies(), report.duplicated().size(), result.nodeStarts());
        assertThat(result.nodeStarts()).isEqualTo(5);
        assertThat(report.atLeastOnce())
                .as(() -> "every expected click delivered, enriched as the seed query says\n" + report.describe() + "\n" + result.nodeOutput())
                .isTrue();
        assertThat(report.records()).isGreaterThanOrEqualTo(report.expected());
    }
}
