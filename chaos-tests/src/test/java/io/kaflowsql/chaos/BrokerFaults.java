package io.kaflowsql.chaos;

/**
 * Faults of the broker process: a bounce (SIGKILL or SIGTERM, down for the step's duration, started again on the same
 * port and data directory) and a slow-down. The slow-down is honest about what it is: either the broker process is
 * stopped and continued in a duty cycle (SIGSTOP for a random 200-800 ms, then SIGCONT for 200-500 ms, for the whole
 * duration: every request waits up to the stopped part, and the broker's own timers jump), or, when the nodes run in
 * network namespaces, a token bucket ({@code tc qdisc ... tbf}) limits what the broker sends them to a random
 * 256 kbit/s..1 mbit/s (this kernel has no {@code netem}, so there is no pure added delay). Stateless.
 */
final class BrokerFaults
{
    private static final String[] THROTTLE_RATES = {"256kbit", "512kbit", "1mbit"};

    private BrokerFaults() {}

    static void bounce(StepContext context)
            throws InterruptedException
    {
        BrokerProcess broker = context.cluster().broker();
        boolean kill = context.random().nextBoolean();
        long started = System.nanoTime();
        if (kill) {
            broker.kill();
        }
        else {
            broker.stop();
        }
        context.log("broker %s (%s); down for %d s", kill ? "killed" : "stopped", kill ? "SIGKILL" : "SIGTERM, clean shutdown",
                context.step().lasting().toSeconds());
        NodeFaults.sleepRest(context, started);
        broker.startAgain();
        context.log("broker#%d ready at %s after %.1f s down", broker.starts(), broker.bootstrapServers(), (System.nanoTime() - started) / 1e9);
    }

    static void slowDown(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        boolean throttle = cluster.namespaces().isPresent() && context.random().nextBoolean();
        if (throttle) {
            String rate = THROTTLE_RATES[context.random().nextInt(THROTTLE_RATES.length)];
            NetworkNamespaces network = cluster.namespaces().get();
            network.throttleBroker(rate, 2_000);
            context.log("broker's traffic to the nodes throttled to %s (tc tbf on the bridge) for %d s", rate, context.step().lasting().toSeconds());
            try {
                context.sleep(context.step().lasting());
            }
            finally {
                network.unthrottle();
            }
            context.log("throttle removed");
            return;
        }
        int stoppedMillis = 200 + context.random().nextInt(601);
        int runningMillis = 200 + context.random().nextInt(301);
        context.log("broker paused %d ms of every %d ms (SIGSTOP/SIGCONT) for %d s", stoppedMillis, stoppedMillis + runningMillis,
                context.step().lasting().toSeconds());
        BrokerProcess broker = cluster.broker();
        long deadline = System.nanoTime() + context.step().lasting().toNanos();
        try {
            while (System.nanoTime() < deadline) {
                broker.pause();
                Thread.sleep(stoppedMillis);
                broker.resume();
                Thread.sleep(runningMillis);
            }
        }
        finally {
            broker.resume();
        }
        context.log("broker runs freely again");
    }
}
