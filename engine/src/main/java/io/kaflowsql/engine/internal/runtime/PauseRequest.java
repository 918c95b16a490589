package io.kaflowsql.engine.internal.runtime;

/**
 * Whether a pipeline's stream thread should read its inputs ("pause" and "resume" of the admin API), handed from
 * any thread to the stream thread like ownership and checkpoint requests: {@link #pause()} and {@link #resume()}
 * only record the wish; the stream thread, between two polls, stops or starts polling and reports what it
 * {@linkplain #applied applied}.
 *
 * <p>A paused stream thread keeps its tasks open: it still applies ownership changes, commits their transactions
 * and answers checkpoint requests; it only stops polling, so its consumer's positions stay where the last
 * processed record left them and resuming reads on from there. The request outlives the stream thread: a pipeline
 * paused before it started begins paused.
 *
 * <p>Thread-safe.
 */
final class PauseRequest
{
    private volatile boolean requested;
    private volatile boolean applied;

    void pause()
    {
        requested = true;
    }

    void resume()
    {
        requested = false;
    }

    /** What was asked last: the stream thread follows it. */
    boolean requested()
    {
        return requested;
    }

    /** Called by the stream thread once it stopped polling (and committed what it had processed), or started again. */
    void applied(boolean paused)
    {
        applied = paused;
    }

    /** True while the stream thread does not poll: everything it processed before the pause is committed. */
    boolean applied()
    {
        return applied;
    }
}
