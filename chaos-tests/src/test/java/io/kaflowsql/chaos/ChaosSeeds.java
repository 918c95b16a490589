package io.kaflowsql.chaos;

/**
 * Where the random kill times come from: a fresh seed per run, so CI explores different kill points
 * over time, unless {@code -Dkaflowsql.chaos.seed=N} repeats the run that printed seed N.
 */
final class ChaosSeeds
{
    private ChaosSeeds() {}

    static long killSeed()
    {
        Long fixed = Long.getLong("kaflowsql.chaos.seed");
        return fixed != null ? fixed : System.nanoTime();
    }
}
