package io.kaflowsql.chaos;

/**
 * Where the random choices of the chaos tests come from: a fresh seed per run, so CI explores different kill points and
 * schedules over time, unless {@code -Dkaflowsql.chaos.seed=N} repeats the run that printed seed N.
 */
final class ChaosSeeds
{
    static final String PROPERTY = "kaflowsql.chaos.seed";

    private ChaosSeeds() {}

    static long killSeed()
    {
        return seed();
    }

    /** The seed given with {@code -Dkaflowsql.chaos.seed}, else a fresh one. */
    static long seed()
    {
        Long fixed = Long.getLong(PROPERTY);
        return fixed != null ? fixed : System.nanoTime() & Long.MAX_VALUE;
    }
}
