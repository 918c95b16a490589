package io.kaflowsql.chaos;

/**
 * Injects a step's fault: the one place that maps each {@link Fault} to the code that injects it. Stateless.
 */
final class FaultActions
{
    private FaultActions() {}

    static void inject(StepContext context)
            throws InterruptedException
    {
        switch (context.step().fault()) {
            case KILL -> NodeFaults.kill(context);
            case KILL_MID_HANDOVER -> NodeFaults.killMidHandover(context);
            case KILL_MID_CHECKPOINT -> NodeFaults.killMidCheckpoint(context);
            case KILL_MID_TRANSACTION -> NodeFaults.killMidTransaction(context);
            case PAUSE, PAUSE_LONG -> NodeFaults.pause(context);
            case PARTITION -> NetworkFaults.partition(context);
            case ISOLATE -> NetworkFaults.isolate(context);
            case BROKER_BOUNCE -> BrokerFaults.bounce(context);
            case BROKER_SLOW -> BrokerFaults.slowDown(context);
            case SCALE_OUT_IN -> MembershipFaults.scaleOutAndIn(context);
            case ROLLING_RESTART -> MembershipFaults.rollingRestart(context);
            case ROLLING_UPGRADE -> MembershipFaults.rollingUpgrade(context);
            case DISK_DELETE -> DiskFaults.deleteFiles(context);
            case DISK_FULL -> DiskFaults.fill(context);
        }
    }
}
