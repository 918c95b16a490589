package io.kaflowsql.chaos;

import java.util.List;

/**
 * Disk trouble under one running node's state directory ({@link StateDisk}): files deleted (every one, or a random
 * half: RocksDB files, checkpoints, dimension snapshots, whatever is there), or the directory's own tmpfs filled to the
 * last byte for the step's duration and then freed. The node is left to cope; if it died meanwhile, it is started again
 * on the damaged directory, as a supervisor would. Stateless.
 */
final class DiskFaults
{
    private DiskFaults() {}

    static void deleteFiles(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        int victim = NodeFaults.single(context);
        boolean everything = context.random().nextBoolean();
        long started = System.nanoTime();
        List<String> deleted = cluster.disk(victim).deleteFiles(everything, context.random());
        context.log("deleted %s of node-%d's state directory: %d paths, e.g. %s", everything ? "everything" : "a random half of the files", victim,
                deleted.size(), deleted.stream().limit(5).toList());
        NodeFaults.sleepRest(context, started);
        restartIfDead(context, victim);
    }

    static void fill(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        int victim = NodeFaults.single(context);
        StateDisk disk = cluster.disk(victim);
        long started = System.nanoTime();
        long bytes = disk.fill();
        context.log("node-%d's state directory is full (a filler took the last %d KiB)", victim, bytes / 1024);
        try {
            NodeFaults.sleepRest(context, started);
        }
        finally {
            disk.free();
        }
        context.log("filler deleted after %.1f s", (System.nanoTime() - started) / 1e9);
        restartIfDead(context, victim);
    }

    private static void restartIfDead(StepContext context, int number)
            throws InterruptedException
    {
        NodeProcess node = context.cluster().node(number);
        if (node.isAlive()) {
            context.log("node-%d still runs", number);
            return;
        }
        context.log("node-%d died (exit status %d); starting it again on the same directory", number, node.exitValue());
        NodeFaults.restart(context, number, List.of());
    }
}
