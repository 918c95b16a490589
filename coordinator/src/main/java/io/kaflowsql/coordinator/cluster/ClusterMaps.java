package io.kaflowsql.coordinator.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.UnsupportedFormatVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The coordinator's view of Hazelcast: members, the node-status map and the assignment map, values kept as JSON
 * strings so no Hazelcast-serialized type reaches the domain. Listeners registered here only wake the
 * coordinator thread up; they never do work on Hazelcast's event threads.
 *
 * <p>The assignment record is written in the assignment format version negotiated with the members
 * ({@link FormatNegotiator}, attached here) and read only in versions this build reads.
 *
 * <p>Thread-safe (Hazelcast proxies are).
 */
final class ClusterMaps
{
    private static final Logger log = LoggerFactory.getLogger(ClusterMaps.class);

    /** A status entry as stored, and its parsed form if readable. */
    record StatusEntry(String nodeId, String json, Optional<NodeStatus> status) {}

    /** The stored assignment record: its JSON (to compare-and-set against) and its parsed form, if readable. */
    record StoredRecord(String json, Optional<AssignmentRecord> record) {}

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> nodes;
    private final IMap<String, String> assignments;
    private final FormatVersions formats;

    /** For tests and tools: this build's versions, never negotiated (it writes the oldest it reads). */
    ClusterMaps(HazelcastInstance hazelcast)
    {
        this(hazelcast, FormatVersions.forThisBuild(), false);
    }

    /** The maps of the node whose written versions are {@code formats}, negotiated with the members from now on. */
    ClusterMaps(HazelcastInstance hazelcast, FormatVersions formats)
    {
        this(hazelcast, formats, true);
    }

    private ClusterMaps(HazelcastInstance hazelcast, FormatVersions formats, boolean negotiate)
    {
        this.hazelcast = requireNonNull(hazelcast, "hazelcast is null");
        this.formats = requireNonNull(formats, "formats is null");
        if (negotiate) {
            FormatNegotiator.attach(hazelcast, formats);
        }
        this.nodes = hazelcast.getMap(HazelcastMembers.NODES_MAP);
        this.assignments = hazelcast.getMap(HazelcastMembers.ASSIGNMENT_MAP);
    }

    /** Calls {@code wake} on every membership change and every change to either map. */
    void onChange(Runnable wake)
    {
        hazelcast.getCluster().addMembershipListener(new MembershipListener()
        {
            @Override
            public void memberAdded(MembershipEvent event)
            {
                wake.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event)
            {
                wake.run();
            }
        });
        WakeOnEntry listener = new WakeOnEntry(wake);
        nodes.addEntryListener(listener, false);
        assignments.addEntryListener(listener, false);
    }

    boolean running()
    {
        return hazelcast.getLifecycleService().isRunning();
    }

    /** Members, oldest first. */
    List<Member> members()
    {
        return List.copyOf(hazelcast.getCluster().getMembers());
    }

    Member localMember()
    {
        return hazelcast.getCluster().getLocalMember();
    }

    void publish(NodeStatus status)
    {
        nodes.set(status.nodeId(), status.toJson());
    }

    void removeStatus(String nodeId)
    {
        nodes.remove(nodeId);
    }

    /** Removes {@code entry} only if it is still the stored value (a node may have rewritten it meanwhile). */
    void removeStatus(StatusEntry entry)
    {
        nodes.remove(entry.nodeId(), entry.json());
    }

    List<StatusEntry> statuses()
    {
        List<StatusEntry> entries = new ArrayList<>();
        for (Map.Entry<String, String> entry : nodes.entrySet()) {
            Optional<NodeStatus> status;
            try {
                status = Optional.of(NodeStatus.fromJson(entry.getValue()));
            }
            catch (IllegalArgumentException e) {
                log.warn("Ignoring unreadable status of node {}: {}", entry.getKey(), e.getMessage());
                status = Optional.empty();
            }
            entries.add(new StatusEntry(entry.getKey(), entry.getValue(), status));
        }
        return entries;
    }

    Optional<StoredRecord> storedRecord()
    {
        String json = assignments.get(AssignmentRecord.KEY);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredRecord(json, Optional.of(AssignmentRecord.fromJson(json, formats.supported()))));
        }
        catch (IllegalArgumentException | UnsupportedFormatVersionException e) {
            log.warn("Stored assignment record is unreadable, the leader will replace it: {}", e.getMessage());
            return Optional.of(new StoredRecord(json, Optional.empty()));
        }
    }

    /** Compare-and-set: writes {@code next} only if the stored record still is {@code expected} (absent if empty). */
    boolean replaceRecord(Optional<StoredRecord> expected, AssignmentRecord next)
    {
        if (expected.isEmpty()) {
            return assignments.putIfAbsent(AssignmentRecord.KEY, next.toJson(formats.write(Format.ASSIGNMENT))) == null;
        }
        return assignments.replace(AssignmentRecord.KEY, expected.get().json(), next.toJson(formats.write(Format.ASSIGNMENT)));
    }

    /** For tests and tools: writes a record unconditionally. */
    void forceRecord(AssignmentRecord record)
    {
        assignments.set(AssignmentRecord.KEY, record.toJson(formats.write(Format.ASSIGNMENT)));
    }

    private record WakeOnEntry(Runnable wake)
            implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
            EntryMergedListener<String, String>
    {
        @Override
        public void entryAdded(EntryEvent<String, String> event)
        {
            wake.run();
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event)
        {
            wake.run();
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event)
        {
            wake.run();
        }

        @Override
        public void entryMerged(EntryEvent<String, String> event)
        {
            wake.run();
        }
    }
}
