package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionSnapshotFile;
import io.kaflowsql.engine.internal.state.DimensionSnapshotFile.PartitionOffset;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.InvalidDimensionSnapshotException;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Writes and loads the dimension snapshot of one pipeline ({@link DimensionSnapshotFile}) for the
 * {@link DimensionLoader}: which tables and offsets go in, and whether a peer's snapshot fits this
 * node's plan and topics.
 *
 * <p>A snapshot is bound to a fingerprint of the dimension sources' plans (index, topic, alias, the
 * columns kept and their order, the join column): those decide what a stored row means, so a snapshot
 * of another version of the pipeline is rejected rather than misread.
 *
 * <p>Call on the loader thread (the tables' writer). Holds no mutable state.
 */
final class DimensionSnapshots
{
    private final CompiledPipeline pipeline;
    private final DimensionTable[] tables;
    private final String fingerprint;

    DimensionSnapshots(CompiledPipeline pipeline, DimensionTable[] tables)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.fingerprint = fingerprint(pipeline);
    }

    /** Rows loaded from a snapshot and the offsets to read each partition on from. */
    record Loaded(long rows, Map<TopicPartition, Long> offsets) {}

    static String fingerprint(CompiledPipeline pipeline)
    {
        StringBuilder plan = new StringBuilder("dimension-sources/1\n");
        for (SourcePlan source : pipeline.plan().sources()) {
            if (pipeline.roleOf(source) == SourceRole.DIMENSION) {
                plan.append(source.index()).append('|').append(source.topic()).append('|').append(source.alias()).append('|')
                        .append(source.columns()).append('|').append(source.keepAllColumns()).append('|').append(source.join().joinColumn()).append('\n');
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plan.toString().getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Writes every dimension table with {@code positions} (the next offset of every dimension partition). */
    long write(Path file, Map<TopicPartition, Long> positions)
            throws IOException
    {
        List<PartitionOffset> offsets = new ArrayList<>();
        positions.forEach((partition, offset) -> offsets.add(new PartitionOffset(partition.topic(), partition.partition(), offset)));
        offsets.sort(Comparator.comparing(PartitionOffset::topic).thenComparingInt(PartitionOffset::partition));
        SortedMap<Integer, DimensionTable> byIndex = new TreeMap<>();
        for (int i = 0; i < tables.length; i++) {
            if (tables[i] != null) {
                byIndex.put(i, tables[i]);
            }
        }
        return DimensionSnapshotFile.write(file, new DimensionSnapshotFile.Header(pipeline.name(), fingerprint, offsets), byIndex);
    }

    /**
     * Loads {@code file} into the (empty) tables when it is a snapshot of this pipeline and plan whose
     * offsets lie within each partition's current {@code [beginning, end]}; partitions it does not name
     * are left out of the returned offsets (read them from the beginning).
     *
     * @throws InvalidDimensionSnapshotException when it does not fit or is corrupt; the tables are then empty again
     */
    Loaded load(Path file, Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends)
            throws IOException
    {
        try (DimensionSnapshotFile.Reader reader = DimensionSnapshotFile.open(file)) {
            DimensionSnapshotFile.Header header = reader.header();
            if (!header.pipeline().equals(pipeline.name())) {
                throw new InvalidDimensionSnapshotException("it is a snapshot of pipeline " + header.pipeline());
            }
            if (!header.fingerprint().equals(fingerprint)) {
                throw new InvalidDimensionSnapshotException("it was written for another version of the pipeline's dimension sources");
            }
            Map<TopicPartition, Long> offsets = checkedOffsets(header, beginnings, ends);
            try {
                long rows = reader.loadRows(index -> index >= 0 && index < tables.length ? tables[index] : null);
                return new Loaded(rows, offsets);
            }
            catch (IOException | RuntimeException e) {
                clearTables();
                throw e;
            }
        }
    }

    private static Map<TopicPartition, Long> checkedOffsets(DimensionSnapshotFile.Header header, Map<TopicPartition, Long> beginnings,
            Map<TopicPartition, Long> ends)
            throws InvalidDimensionSnapshotException
    {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (PartitionOffset offset : header.offsets()) {
            TopicPartition partition = new TopicPartition(offset.topic(), offset.partition());
            Long end = ends.get(partition);
            if (end == null) {
                throw new InvalidDimensionSnapshotException("it has offsets of " + partition + ", which this pipeline does not read");
            }
            long beginning = beginnings.getOrDefault(partition, 0L);
            if (offset.nextOffset() < beginning || offset.nextOffset() > end) {
                // records the snapshot reflects were deleted, or the topic was re-created: its rows differ from the topic's
                throw new InvalidDimensionSnapshotException("its offset " + offset.nextOffset() + " of " + partition + " lies outside the partition's ["
                        + beginning + ", " + end + "]");
            }
            offsets.put(partition, offset.nextOffset());
        }
        return offsets;
    }

    private void clearTables()
    {
        for (DimensionTable table : tables) {
            if (table != null) {
                table.clear();
            }
        }
    }
}
