package io.kaflowsql.chaos;

import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Reads the output topic's log segments from the broker's data directory, batch by batch, with Kafka's own file
 * reader ({@link FileRecords}, the on-disk format; no KaflowSQL code), and replays the transactions they hold: every
 * data batch carries its producer id and epoch and whether it is transactional, and every transaction ends with a
 * COMMIT or ABORT control marker of its producer. From that it checks what a consumer cannot see:
 *
 * <ul>
 *   <li><b>no write outside a transaction</b> (under exactly-once): a non-transactional batch cannot be fenced, so a
 *       zombie could add it at any time;</li>
 *   <li><b>nothing committed by a fenced epoch</b>: once a producer id wrote with epoch e, no later batch of an older
 *       epoch of that id may end up committed (an older epoch is an owner that was fenced by a newer one);</li>
 *   <li><b>one writer per partition at a time</b>: two producer ids whose committed transactions overlap in one
 *       partition would be two live owners of one task, each fenced by nobody (a task's transactional id, hence its
 *       producer id, is the same on every node);</li>
 *   <li><b>read_committed shows exactly the committed records</b>: the offsets the checker's read_committed consumer
 *       returned are the offsets of committed transactions (plus non-transactional records), no more, no less;</li>
 *   <li><b>no transaction left open</b> at the end.</li>
 * </ul>
 *
 * It also counts the aborted transactions and their records: output that crashed or fenced owners wrote and that
 * nobody ever saw. Stateless; thread-safe.
 */
final class TransactionAudit
{
    /**
     * @param committedTransactions transactions that ended with COMMIT, over all partitions
     * @param abortedTransactions transactions that ended with ABORT
     * @param abortedRecords output records in aborted transactions (never visible)
     * @param nonTransactionalRecords output records written outside any transaction
     * @param producerIds distinct producer ids seen writing the output
     * @param problems what the audit found wrong, one line each (empty when none)
     */
    record Result(long committedTransactions, long abortedTransactions, long abortedRecords, long nonTransactionalRecords, int producerIds,
            List<String> problems)
    {
        Result
        {
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }
    }

    private TransactionAudit() {}

    /**
     * @param logDir the broker's log directory
     * @param readOffsets per partition, the offsets a read_committed consumer returned
     * @param transactional whether the output must be written in transactions (exactly-once)
     */
    static Result audit(Path logDir, String topic, int partitions, Map<Integer, Set<Long>> readOffsets, boolean transactional)
    {
        long committed = 0;
        long aborted = 0;
        long abortedRecords = 0;
        long nonTransactional = 0;
        Set<Long> producers = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            PartitionReplay replay = new PartitionReplay(topic + "-" + partition);
            for (Path segment : segments(logDir.resolve(topic + "-" + partition))) {
                try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                    for (FileChannelRecordBatch batch : records.batches()) {
                        replay.accept(batch);
                    }
                }
                catch (IOException e) {
                    throw new UncheckedIOException("cannot read segment " + segment, e);
                }
            }
            replay.finish(readOffsets.getOrDefault(partition, Set.of()), transactional);
            committed += replay.committedTransactions;
            aborted += replay.abortedTransactions;
            abortedRecords += replay.abortedRecords;
            nonTransactional += replay.nonTransactionalRecords;
            producers.addAll(replay.producers);
            problems.addAll(replay.problems);
        }
        return new Result(committed, aborted, abortedRecords, nonTransactional, producers.size(), problems);
    }

    private static List<Path> segments(Path partitionDir)
    {
        if (!Files.isDirectory(partitionDir)) {
            throw new IllegalStateException("no log directory " + partitionDir + "; is this the broker's data directory?");
        }
        try (Stream<Path> files = Files.list(partitionDir)) {
            // segment files are named by their base offset, zero-padded: name order is offset order
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + partitionDir, e);
        }
    }

    /** The transactions of one partition, replayed in log order. Not thread-safe. */
    private static final class PartitionReplay
    {
        private final String name;
        private final Map<Long, Transaction> open = new HashMap<>();
        private final Map<Long, Short> newestEpoch = new HashMap<>();
        private final Set<Long> visible = new TreeSet<>();
        private final Set<Long> producers = new TreeSet<>();
        private final List<String> problems = new ArrayList<>();
        private long committedTransactions;
        private long abortedTransactions;
        private long abortedRecords;
        private long nonTransactionalRecords;

        PartitionReplay(String name)
        {
            this.name = name;
        }

        void accept(FileChannelRecordBatch batch)
        {
            long producer = batch.producerId();
            if (batch.isControlBatch()) {
                for (Record marker : batch) {
                    end(producer, ControlRecordType.parse(marker.key()), batch.producerEpoch());
                }
                return;
            }
            if (!batch.isTransactional()) {
                nonTransactionalRecords += batch.lastOffset() - batch.baseOffset() + 1;
                addVisible(new long[] {batch.baseOffset(), batch.lastOffset()});
                return;
            }
            producers.add(producer);
            short newest = newestEpoch.getOrDefault(producer, Short.MIN_VALUE);
            Transaction transaction = open.computeIfAbsent(producer, id -> new Transaction(id, batch.baseOffset()));
            if (batch.producerEpoch() < newest) {
                transaction.staleEpoch = "epoch " + batch.producerEpoch() + " after epoch " + newest + " at offset " + batch.baseOffset();
            }
            newestEpoch.put(producer, (short) Math.max(newest, batch.producerEpoch()));
            for (Transaction other : open.values()) {
                if (other != transaction && !transaction.overlapping.contains(other)) {
                    other.overlapping.add(transaction);
                    transaction.overlapping.add(other);
                }
            }
            transaction.ranges.add(new long[] {batch.baseOffset(), batch.lastOffset()});
        }

        private void end(long producer, ControlRecordType type, short epoch)
        {
            newestEpoch.merge(producer, epoch, (a, b) -> (short) Math.max(a, b));
            Transaction transaction = open.remove(producer);
            if (transaction == null) {
                return; // a marker of a transaction that wrote no data here
            }
            transaction.outcome = type;
            if (type == ControlRecordType.COMMIT) {
                committedTransactions++;
                transaction.ranges.forEach(this::addVisible);
                if (transaction.staleEpoch != null) {
                    problems.add(name + ": producer " + producer + " committed records written by a fenced epoch (" + transaction.staleEpoch + ")");
                }
                for (Transaction other : transaction.overlapping) {
                    if (other.outcome == ControlRecordType.COMMIT && other.producer != producer) {
                        problems.add(name + ": committed transactions of producers " + other.producer + " (from offset " + other.firstOffset
                                + ") and " + producer + " (from offset " + transaction.firstOffset + ") overlap: two writers of one task at once");
                    }
                }
            }
            else if (type == ControlRecordType.ABORT) {
                abortedTransactions++;
                abortedRecords += transaction.ranges.stream().mapToLong(range -> range[1] - range[0] + 1).sum();
            }
        }

        /** Adds the offsets {@code range[0]..range[1]} (a data batch of a topic without compaction has no gaps). */
        private void addVisible(long[] range)
        {
            for (long offset = range[0]; offset <= range[1]; offset++) {
                visible.add(offset);
            }
        }

        void finish(Set<Long> read, boolean transactional)
        {
            for (Transaction transaction : open.values()) {
                problems.add(name + ": transaction of producer " + transaction.producer + " from offset " + transaction.firstOffset
                        + " is still open at the end (neither committed nor aborted)");
            }
            if (transactional && nonTransactionalRecords > 0) {
                problems.add(name + ": " + nonTransactionalRecords + " records written outside a transaction under exactly-once");
            }
            Set<Long> unread = new TreeSet<>(visible);
            unread.removeAll(read);
            Set<Long> notCommitted = new TreeSet<>(read);
            notCommitted.removeAll(visible);
            if (!unread.isEmpty()) {
                problems.add(name + ": " + unread.size() + " committed records the read_committed reader never returned, first at offset "
                        + unread.iterator().next());
            }
            if (!notCommitted.isEmpty()) {
                problems.add(name + ": read_committed returned " + notCommitted.size() + " records the log does not show committed, first at offset "
                        + notCommitted.iterator().next());
            }
        }
    }

    /** The data batches of one producer between two of its markers. */
    private static final class Transaction
    {
        private final long producer;
        private final long firstOffset;
        /** {base offset, last offset} of each data batch (kept as numbers: a batch is only readable while its file is open). */
        private final List<long[]> ranges = new ArrayList<>();
        private final List<Transaction> overlapping = new ArrayList<>();
        private String staleEpoch;
        private ControlRecordType outcome;

        Transaction(long producer, long firstOffset)
        {
            this.producer = producer;
            this.firstOffset = firstOffset;
        }
    }
}
