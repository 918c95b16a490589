package io.kaflowsql.engine.internal.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a task's live store and its standby warm-up apart on this node. The stream thread claims a
 * partition before opening its task and gives the claim back after closing it; a warm-up runs only while
 * the partition is unclaimed, holding the partition's lock throughout.
 *
 * <p>A claim attempted during a warm-up fails at once instead of waiting: the stream thread must keep
 * processing its other tasks, and retries the open a little later. The failed claim also asks the warm-up
 * to give way: the task is about to be live here, so finishing a standby copy of it only delays the
 * hand-over (by the rest of the replay; the open then restores the checkpoint the previous warm-up left
 * and replays the tail itself). Warm-ups of one partition wait for each other.
 *
 * <p>Thread-safe.
 */
final class TaskClaims
{
    /** Work done while a partition is unclaimed. */
    @FunctionalInterface
    interface Work<T>
    {
        T run()
                throws InterruptedException;
    }

    private final ConcurrentMap<Integer, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<Integer> claimed = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<Integer, Runnable> giveWayRequests = new ConcurrentHashMap<>();

    /** Claims {@code partition} for its live task; false while a warm-up of it runs, which is then asked to give way. */
    boolean tryClaim(int partition)
    {
        ReentrantLock lock = lockOf(partition);
        if (!lock.tryLock()) {
            Runnable giveWay = giveWayRequests.get(partition);
            if (giveWay != null) {
                giveWay.run();
            }
            return false;
        }
        try {
            claimed.add(partition);
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    /** Gives the claim back once the live task is closed. */
    void release(int partition)
    {
        claimed.remove(partition);
    }

    boolean isClaimed(int partition)
    {
        return claimed.contains(partition);
    }

    /**
     * Runs {@code work} while {@code partition} is unclaimed and no other warm-up of it runs. A claim attempted
     * meanwhile runs {@code giveWay} (on the claiming thread; it must return at once), which should make
     * {@code work} stop soon.
     *
     * @throws IllegalStateException when the partition's task is open here
     */
    <T> T whileUnclaimed(int partition, Runnable giveWay, Work<T> work)
            throws InterruptedException
    {
        ReentrantLock lock = lockOf(partition);
        lock.lockInterruptibly();
        try {
            if (claimed.contains(partition)) {
                throw new IllegalStateException("task of partition " + partition + " is owned by this node; only a task owned elsewhere is warmed up");
            }
            giveWayRequests.put(partition, giveWay);
            try {
                return work.run();
            }
            finally {
                giveWayRequests.remove(partition);
            }
        }
        finally {
            lock.unlock();
        }
    }

    private ReentrantLock lockOf(int partition)
    {
        return locks.computeIfAbsent(partition, ignored -> new ReentrantLock());
    }
}
