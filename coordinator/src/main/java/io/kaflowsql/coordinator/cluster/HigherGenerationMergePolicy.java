package io.kaflowsql.coordinator.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;

/**
 * Hazelcast split-brain merge policy of the assignment map: when two sides of a healed partition each hold an
 * assignment record, the one with the higher generation survives. With a quorum ({@code cluster.min-size} above
 * half the cluster) only one side could write, so it is that side's record; without one, the side that changed its
 * assignment more often wins and the leader of the merged cluster reconverges from it. On equal generations the
 * record already in the merge-target cluster (the larger side) stays. A value that cannot be read loses.
 *
 * <p>Stateless and thread-safe; Hazelcast instantiates it by class name on every member.
 */
public final class HigherGenerationMergePolicy
        implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object>
{
    private static final Logger log = LoggerFactory.getLogger(HigherGenerationMergePolicy.class);

    @Override
    public Object merge(MergingValue<Object> mergingValue, MergingValue<Object> existingValue)
    {
        if (existingValue == null) {
            return mergingValue.getRawValue();
        }
        Object merging = mergingValue.getDeserializedValue();
        Object existing = existingValue.getDeserializedValue();
        boolean keepMerging = prefersMerging(merging, existing);
        log.info("Split brain healed: assignment record {} kept", keepMerging ? "of the merging side" : "of the surviving side");
        return keepMerging ? mergingValue.getRawValue() : existingValue.getRawValue();
    }

    /** True if the merging side's record should replace the existing one: it has a strictly higher generation. */
    static boolean prefersMerging(Object merging, Object existing)
    {
        OptionalLong mergingGeneration = generationOf(merging);
        OptionalLong existingGeneration = generationOf(existing);
        if (mergingGeneration.isEmpty()) {
            return false;
        }
        return existingGeneration.isEmpty() || mergingGeneration.getAsLong() > existingGeneration.getAsLong();
    }

    private static OptionalLong generationOf(Object value)
    {
        if (!(value instanceof String json)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(AssignmentRecord.fromJson(json).generation());
        }
        catch (IllegalArgumentException | io.kaflowsql.protocol.UnsupportedFormatVersionException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void writeData(ObjectDataOutput out)
    {
    }

    @Override
    public void readData(ObjectDataInput in)
    {
    }
}
