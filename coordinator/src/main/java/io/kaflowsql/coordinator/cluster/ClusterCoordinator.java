package io.kaflowsql.coordinator.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.kaflowsql.coordinator.assignment.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * A node's control plane: an embedded Hazelcast member, this node's published {@link NodeStatus}, the leader's
 * assignment decisions (the oldest member leads) and this node following the {@link AssignmentRecord} through
 * {@link LocalTasks}.
 *
 * <p>Threading: one coordinator thread owns all decisions. It runs every {@code pollInterval} and whenever a
 * member comes or goes or a status or the assignment record changes (Hazelcast listeners only wake it). Each run:
 * <ol>
 *   <li>quorum check (members &ge; {@code minSize}; below it this node owns nothing and, if leader, publishes nothing);</li>
 *   <li>lifecycle: JOINING &rarr; BOOTSTRAPPING on quorum, BOOTSTRAPPING &rarr; READY once every deployed pipeline is ready;</li>
 *   <li>publishes this node's status if it changed, and at least every second;</li>
 *   <li>applies the stored record if its generation is newer than the applied one;</li>
 *   <li>if leader: computes the next staged assignment ({@link LeaderPlanner}) and writes it with compare-and-set;</li>
 *   <li>calls {@link LocalTasks#own} when the runnable set changed, and hands standby duty to {@link StandbyWarmer}.</li>
 * </ol>
 * Blocking work ({@link LocalTasks#warm}) runs on a small worker pool. Public methods are thread-safe.
 */
public final class ClusterCoordinator
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ClusterCoordinator.class);
    private static final long STATUS_REFRESH_MILLIS = 1000;
    private static final Duration WARM_RETRY = Duration.ofSeconds(2);
    private static final int WARM_WORKERS = 2;

    private final ClusterSettings settings;
    private final LocalTasks local;
    private final Set<String> deployedPipelines;
    private final Clock clock;
    private final HazelcastInstance hazelcast;
    private final ClusterMaps maps;
    private final NodeLifecycleTracker lifecycle;
    private final ClusterListener listener;
    private final ScheduledExecutorService coordinatorThread;
    private final ExecutorService warmWorkers;
    private final AssignmentFollower follower;
    private final StandbyWarmer warmer;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    // Written by the coordinator thread only; volatile where public methods read them.
    private volatile AssignmentRecord applied = AssignmentRecord.INITIAL;
    private volatile List<NodeStatus> peers = List.of();
    private volatile boolean leader;
    private volatile boolean drained;
    private Boolean quorum;
    private NodeStatus lastPublished;
    private long lastPublishedMillis;
    private Set<TaskId> lastOwned;
    private Set<TaskId> lastPrepared = Set.of();
    private long lastIgnoredGeneration = -1;

    private ClusterCoordinator(ClusterSettings settings, LocalTasks local, Set<String> deployedPipelines, Clock clock,
            HazelcastInstance hazelcast, NodeLifecycleTracker lifecycle, ClusterListener listener)
    {
        this.settings = settings;
        this.local = local;
        this.deployedPipelines = Set.copyOf(deployedPipelines);
        this.clock = clock;
        this.hazelcast = hazelcast;
        this.maps = new ClusterMaps(hazelcast, settings.formats());
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.coordinatorThread = Executors.newSingleThreadScheduledExecutor(daemon("kaflowsql-coordinator-" + settings.nodeId()));
        this.warmWorkers = Executors.newFixedThreadPool(WARM_WORKERS, daemon("kaflowsql-standby-" + settings.nodeId()));
        this.follower = new AssignmentFollower(settings.nodeId(), settings.handoverTimeout());
        this.warmer = new StandbyWarmer(local, clock, warmWorkers, coordinatorThread, settings.standbyRefresh(), WARM_RETRY);
    }

    public static ClusterCoordinator start(ClusterSettings settings, LocalTasks local, Set<String> deployedPipelines, Clock clock)
    {
        return start(settings, local, deployedPipelines, clock, ClusterListener.NONE);
    }

    /**
     * Starts the member (blocks until it joined the cluster or formed one alone) and the coordinator thread.
     *
     * @param deployedPipelines the node becomes READY once {@link LocalTasks#readyPipelines} covers them all
     * @throws IllegalStateException if another member already uses this node id
     */
    public static ClusterCoordinator start(ClusterSettings settings, LocalTasks local, Set<String> deployedPipelines, Clock clock,
            ClusterListener listener)
    {
        requireNonNull(settings, "settings is null");
        requireNonNull(local, "local is null");
        requireNonNull(deployedPipelines, "deployedPipelines is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(listener, "listener is null");
        NodeLifecycleTracker lifecycle = new NodeLifecycleTracker(settings.nodeId());
        lifecycle.addListener(listener::lifecycleChanged);
        log.info("Node {} joining cluster '{}' as {} (members {}, min-size {})", settings.nodeId(), settings.clusterName(),
                settings.advertisedMemberAddress(), settings.members(), settings.minSize());
        HazelcastInstance hazelcast = HazelcastMembers.start(settings);
        try {
            rejectDuplicateNodeId(hazelcast, settings.nodeId());
        }
        catch (RuntimeException e) {
            hazelcast.getLifecycleService().shutdown();
            throw e;
        }
        ClusterCoordinator coordinator = new ClusterCoordinator(settings, local, deployedPipelines, clock, hazelcast, lifecycle, listener);
        coordinator.maps.onChange(coordinator::wake);
        local.onOwnedTasksChanged(coordinator::wake); // a release is announced at once: the next owner waits for it
        coordinator.coordinatorThread.scheduleWithFixedDelay(coordinator::step, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return coordinator;
    }

    public NodeLifecycle lifecycle()
    {
        return lifecycle.state();
    }

    public boolean isLeader()
    {
        return leader;
    }

    /** The newest assignment record applied on this node ({@link AssignmentRecord#INITIAL} before the first). */
    public AssignmentRecord currentAssignment()
    {
        return applied;
    }

    /** Statuses of the live members (this node included), as of the coordinator's last run. */
    public List<NodeStatus> peers()
    {
        return peers;
    }

    /**
     * Runs the coordinator now instead of at its next poll: on the leader this recomputes the assignment from the
     * newest statuses (and publishes a new generation if it differs from the one in force; the assignor keeps it
     * balanced, so an unchanged cluster keeps its assignment). On another node it only refreshes this node's view.
     * Returns at once.
     */
    public void requestRebalance()
    {
        log.info("Node {}: rebalance requested ({})", settings.nodeId(), leader ? "leader: recomputing the assignment" : "not the leader");
        wake();
    }

    /**
     * Stops taking tasks and waits until the leader moved every task of this node elsewhere and this node released
     * them, or {@code timeout} passed. Below quorum the node owns nothing and no leader can move its tasks, so it
     * is drained as soon as it released them. The node stays a member (DRAINING) until {@link #close()}.
     *
     * @return whether this node owns nothing
     */
    public boolean drain(Duration timeout)
            throws InterruptedException
    {
        requireNonNull(timeout, "timeout is null");
        if (lifecycle.state() == NodeLifecycle.LEFT) {
            return false;
        }
        lifecycle.moveTo(NodeLifecycle.DRAINING);
        log.info("Node {} draining: waiting up to {} for its tasks to move away", settings.nodeId(), timeout);
        wake();
        long deadline = clock.millis() + timeout.toMillis();
        while (!drained && clock.millis() < deadline) {
            Thread.sleep(50);
        }
        log.info("Node {} {}", settings.nodeId(), drained ? "drained: it owns no task" : "still owns tasks after the drain timeout");
        return drained;
    }

    /**
     * Leaves the cluster: releases every task ({@code own(empty)}), removes this node's status and shuts the member
     * down gracefully. Draining first is the caller's choice. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Future<?> leaving = coordinatorThread.submit(this::leave);
            leaving.get(10, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            log.warn("Node {} could not leave cleanly: {}", settings.nodeId(), e.toString());
        }
        coordinatorThread.shutdownNow();
        warmWorkers.shutdownNow();
        try {
            coordinatorThread.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hazelcast.getLifecycleService().shutdown();
        lifecycle.moveTo(NodeLifecycle.LEFT);
    }

    /** The embedded member (tests use it to simulate a crash). */
    HazelcastInstance hazelcast()
    {
        return hazelcast;
    }

    private void leave()
    {
        prepareTasks(Set.of());
        ownTasks(Set.of());
        if (maps.running()) {
            try {
                maps.removeStatus(settings.nodeId());
            }
            catch (RuntimeException e) {
                log.warn("Node {} could not remove its status: {}", settings.nodeId(), e.toString());
            }
        }
    }

    private void wake()
    {
        if (closed.get() || !wakePending.compareAndSet(false, true)) {
            return;
        }
        try {
            coordinatorThread.execute(() -> {
                wakePending.set(false);
                step();
            });
        }
        catch (java.util.concurrent.RejectedExecutionException e) {
            wakePending.set(false);
        }
    }

    private void step()
    {
        if (closed.get()) {
            return;
        }
        try {
            if (!maps.running()) {
                ownTasks(Set.of());
                return;
            }
            runOnce();
        }
        catch (HazelcastInstanceNotActiveException e) {
            ownTasks(Set.of());
            log.debug("Hazelcast member of {} is not active", settings.nodeId());
        }
        catch (RuntimeException e) {
            log.warn("Coordinator run of node {} failed; the next run retries", settings.nodeId(), e);
        }
    }

    private void runOnce()
    {
        long now = clock.millis();
        List<Member> members = maps.members();
        boolean hasQuorum = members.size() >= settings.minSize();
        updateQuorum(hasQuorum, members.size());
        advanceLifecycle(hasQuorum);
        publishStatus(now);
        Set<UUID> memberUuids = new HashSet<>();
        members.forEach(member -> memberUuids.add(member.getUuid()));
        List<ClusterMaps.StatusEntry> entries = maps.statuses();
        List<NodeStatus> live = entries.stream()
                .flatMap(entry -> entry.status().stream())
                .filter(status -> memberUuids.contains(status.memberUuid()))
                .toList();
        peers = live;
        updateLeadership(members.get(0).localMember());
        Optional<ClusterMaps.StoredRecord> stored = maps.storedRecord();
        stored.flatMap(ClusterMaps.StoredRecord::record).ifPresent(record -> offer(record, now));
        if (leader && hasQuorum) {
            lead(members, entries, live, stored, now);
        }
        follow(live, hasQuorum, now);
    }

    private void lead(List<Member> members, List<ClusterMaps.StatusEntry> entries, List<NodeStatus> live,
            Optional<ClusterMaps.StoredRecord> stored, long now)
    {
        Set<String> reporting = new HashSet<>();
        live.forEach(status -> reporting.add(status.memberUuid().toString()));
        for (ClusterMaps.StatusEntry entry : entries) {
            if (entry.status().map(status -> !live.contains(status)).orElse(true)) {
                maps.removeStatus(entry); // a member that is gone, or an unreadable value
            }
        }
        for (Member member : members) {
            if (member.getAttribute(HazelcastMembers.NODE_ID_ATTRIBUTE) != null && !reporting.contains(member.getUuid().toString())) {
                log.debug("Leader {} waits for the status of member {}", settings.nodeId(), member.getAddress());
                return;
            }
        }
        Optional<AssignmentRecord> storedRecord = stored.flatMap(ClusterMaps.StoredRecord::record);
        if (stored.isPresent() && storedRecord.map(record -> applied.isNewerThan(record)).orElse(true)) {
            // an older or unreadable record was written over the newest one: put the newest back so joiners never apply it
            log.warn("Leader {} restores assignment generation {} over a stale or unreadable stored record", settings.nodeId(),
                    applied.generation());
            maps.replaceRecord(stored, applied);
            return;
        }
        AssignmentRecord newest = storedRecord.filter(record -> record.isNewerThan(applied)).orElse(applied);
        Optional<AssignmentRecord> next = LeaderPlanner.next(settings.nodeId(), live, newest, settings.standbyReplicas());
        if (next.isEmpty()) {
            return;
        }
        if (maps.replaceRecord(stored, next.get())) {
            log.info("Leader {} published assignment generation {}: owners {}, standbys {}", settings.nodeId(), next.get().generation(),
                    byNode(next.get().assignment().owners()), next.get().assignment().standbys());
            offer(next.get(), now);
        }
        else {
            log.info("Leader {}: the assignment record changed while computing generation {}; recomputing", settings.nodeId(),
                    next.get().generation());
            wake();
        }
    }

    private void follow(List<NodeStatus> live, boolean hasQuorum, long now)
    {
        Map<String, NodeStatus> liveByNode = LeaderPlanner.byNodeId(live);
        NodeLifecycle state = lifecycle.state();
        boolean working = hasQuorum && (state == NodeLifecycle.READY || state == NodeLifecycle.DRAINING);
        Set<TaskId> runnable = working ? follower.runnable(liveByNode, local.ownedTasks(), now) : Set.of();
        Set<TaskId> incoming = new TreeSet<>(working ? follower.assignedToMe() : Set.of());
        incoming.removeAll(runnable);
        prepareTasks(incoming);
        ownTasks(runnable);
        Map<TaskId, String> standbys = new TreeMap<>();
        if (working) {
            follower.standbyDuties().forEach((task, owner) -> {
                NodeStatus ownerStatus = liveByNode.get(owner);
                if (ownerStatus != null) {
                    standbys.put(task, ownerStatus.transferAddress());
                }
            });
        }
        warmer.update(standbys, now);
        // below quorum no leader moves this node's tasks, and it released them all: nothing is left to wait for
        drained = state == NodeLifecycle.DRAINING && (follower.assignedToMe().isEmpty() || !hasQuorum) && lastOwned.isEmpty()
                && local.ownedTasks().isEmpty();
    }

    private void offer(AssignmentRecord record, long now)
    {
        if (follower.offer(record, now)) {
            applied = record;
            log.info("Node {} applied assignment generation {} (leader {}): owns {}, standby for {}", settings.nodeId(), record.generation(),
                    record.leaderNodeId(), follower.assignedToMe(), follower.standbyDuties().keySet());
            listener.generationApplied(record);
        }
        else if (record.generation() < applied.generation() && record.generation() != lastIgnoredGeneration) {
            lastIgnoredGeneration = record.generation();
            log.warn("Node {} ignores stale assignment generation {} (applied: {})", settings.nodeId(), record.generation(), applied.generation());
            listener.staleRecordIgnored(record, applied.generation());
        }
    }

    private void prepareTasks(Set<TaskId> incoming)
    {
        if (incoming.equals(lastPrepared)) {
            return;
        }
        if (!incoming.isEmpty()) {
            log.info("Node {} restores ahead the task(s) handed over to it: {}", settings.nodeId(), incoming);
        }
        local.prepare(Set.copyOf(incoming));
        lastPrepared = Set.copyOf(incoming);
    }

    private void ownTasks(Set<TaskId> tasks)
    {
        if (tasks.equals(lastOwned)) {
            return;
        }
        log.info("Node {} runs {} task(s): {}", settings.nodeId(), tasks.size(), new TreeSet<>(tasks));
        local.own(Set.copyOf(tasks));
        lastOwned = Set.copyOf(tasks);
    }

    private void publishStatus(long now)
    {
        NodeStatus status = new NodeStatus(settings.nodeId(), maps.localMember().getUuid(), settings.transferAddress(), lifecycle.state(),
                NodeStatus.partitionCounts(local.knownTasks()), local.readyPipelines(), local.ownedTasks(), local.preparedTasks(),
                warmTasks(),
                Instant.ofEpochMilli(now));
        boolean changed = lastPublished == null || !status.withUpdatedAt(Instant.EPOCH).equals(lastPublished.withUpdatedAt(Instant.EPOCH));
        if (changed || now - lastPublishedMillis >= STATUS_REFRESH_MILLIS) {
            maps.publish(status);
            lastPublished = status;
            lastPublishedMillis = now;
        }
    }

    /** The standby copies held here that a hand-over could use at once: not those whose first warm-up still runs. */
    private Map<TaskId, Long> warmTasks()
    {
        Map<TaskId, Long> warm = new HashMap<>(local.warmTasks());
        warm.keySet().removeAll(warmer.warmingUp());
        return warm;
    }

    private void advanceLifecycle(boolean hasQuorum)
    {
        if (lifecycle.state() == NodeLifecycle.JOINING && hasQuorum) {
            lifecycle.moveTo(NodeLifecycle.BOOTSTRAPPING);
        }
        if (lifecycle.state() == NodeLifecycle.BOOTSTRAPPING && local.readyPipelines().containsAll(deployedPipelines)) {
            lifecycle.moveTo(NodeLifecycle.READY);
        }
    }

    private void updateQuorum(boolean hasQuorum, int members)
    {
        if (quorum != null && quorum == hasQuorum) {
            return;
        }
        if (hasQuorum) {
            log.info("Node {}: quorum reached ({} members, cluster.min-size {})", settings.nodeId(), members, settings.minSize());
        }
        else if (quorum == null) {
            log.warn("Node {}: waiting for quorum: {} member(s), cluster.min-size {}", settings.nodeId(), members, settings.minSize());
        }
        else {
            log.error("Node {}: QUORUM LOST: {} member(s), below cluster.min-size {}. This node stops processing until the cluster "
                    + "has enough members again", settings.nodeId(), members, settings.minSize());
        }
        quorum = hasQuorum;
        listener.quorumChanged(hasQuorum, members, settings.minSize());
    }

    private void updateLeadership(boolean leaderNow)
    {
        if (leaderNow != leader) {
            leader = leaderNow;
            log.info("Node {} {} the leader", settings.nodeId(), leaderNow ? "is now" : "is no longer");
            listener.leadershipChanged(leaderNow);
        }
    }

    private static Map<String, Set<TaskId>> byNode(Map<TaskId, String> owners)
    {
        Map<String, Set<TaskId>> byNode = new TreeMap<>();
        owners.forEach((task, node) -> byNode.computeIfAbsent(node, ignored -> new TreeSet<>()).add(task));
        return byNode;
    }

    private static void rejectDuplicateNodeId(HazelcastInstance hazelcast, String nodeId)
    {
        Member self = hazelcast.getCluster().getLocalMember();
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (!member.localMember() && nodeId.equals(member.getAttribute(HazelcastMembers.NODE_ID_ATTRIBUTE))) {
                throw new IllegalStateException("cluster.node-id '" + nodeId + "' is already used by the member at " + member.getAddress()
                        + " (this member: " + self.getAddress() + "): give every node its own id");
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name)
    {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
