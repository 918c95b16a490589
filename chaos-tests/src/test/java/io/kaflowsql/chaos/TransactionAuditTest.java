package io.kaflowsql.chaos;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction audit on log segments written in Kafka's own format, batch by batch, so every case a broker would
 * refuse to produce (a fenced epoch committing, two producers writing one partition at once) can be planted too.
 */
class TransactionAuditTest
{
    private static final String TOPIC = "personalized_events";
    private static final long PRODUCER = 7;
    private static final long OTHER = 8;

    @TempDir
    Path logDir;

    private long offset;

    @Test
    void committedAndAbortedTransactionsAreCountedAndMatchWhatWasRead()
            throws IOException
    {
        write(data(PRODUCER, 0, 2), commit(PRODUCER, 0), data(PRODUCER, 1, 3), abort(PRODUCER, 1), data(PRODUCER, 2, 1), commit(PRODUCER, 2));

        TransactionAudit.Result result = audit(Set.of(0L, 1L, 7L), true);

        assertThat(result.problems()).isEmpty();
        assertThat(result.committedTransactions()).isEqualTo(2);
        assertThat(result.abortedTransactions()).isEqualTo(1);
        assertThat(result.abortedRecords()).isEqualTo(3);
        assertThat(result.producerIds()).isEqualTo(1);
    }

    @Test
    void recordsCommittedByAnOlderEpochAfterANewerOneAreFromAFencedOwner()
            throws IOException
    {
        write(data(PRODUCER, 5, 1), data(PRODUCER, 4, 1), commit(PRODUCER, 5));

        assertThat(audit(Set.of(0L, 1L), true).problems()).singleElement().asString().contains("fenced epoch", "epoch 4 after epoch 5");
    }

    @Test
    void overlappingCommittedTransactionsOfTwoProducersAreTwoWriters()
            throws IOException
    {
        write(data(PRODUCER, 0, 1), data(OTHER, 0, 1), commit(PRODUCER, 0), commit(OTHER, 0));

        assertThat(audit(Set.of(0L, 1L), true).problems()).singleElement().asString().contains("overlap", "two writers");
    }

    @Test
    void overlapWithAnAbortedTransactionIsAFenceNotTwoWriters()
            throws IOException
    {
        write(data(PRODUCER, 0, 1), data(OTHER, 0, 1), abort(PRODUCER, 0), commit(OTHER, 0));

        assertThat(audit(Set.of(1L), true).problems()).isEmpty();
    }

    @Test
    void writeOutsideATransactionIsAProblemOnlyUnderExactlyOnce()
            throws IOException
    {
        write(MemoryRecords.withRecords(offset++, Compression.NONE, record()));

        assertThat(audit(Set.of(0L), true).problems()).singleElement().asString().contains("outside a transaction");
        assertThat(audit(Set.of(0L), false).problems()).isEmpty();
    }

    @Test
    void readerThatMissedACommittedRecordOrSawAnAbortedOneIsCaught()
            throws IOException
    {
        write(data(PRODUCER, 0, 2), commit(PRODUCER, 0), data(PRODUCER, 1, 1), abort(PRODUCER, 1));

        assertThat(audit(Set.of(0L, 3L), true).problems())
                .anySatisfy(problem -> assertThat(problem).contains("never returned", "offset 1"))
                .anySatisfy(problem -> assertThat(problem).contains("does not show committed", "offset 3"));
    }

    @Test
    void transactionLeftOpenIsReported()
            throws IOException
    {
        write(data(PRODUCER, 0, 1));

        assertThat(audit(Set.of(), true).problems()).singleElement().asString().contains("still open");
    }

    private TransactionAudit.Result audit(Set<Long> read, boolean transactional)
    {
        return TransactionAudit.audit(logDir, TOPIC, 1, Map.of(0, read), transactional);
    }

    private MemoryRecords data(long producer, int epoch, int records)
    {
        SimpleRecord[] batch = new SimpleRecord[records];
        for (int i = 0; i < records; i++) {
            batch[i] = record();
        }
        MemoryRecords memory = MemoryRecords.withTransactionalRecords(offset, Compression.NONE, producer, (short) epoch, (int) offset, 0, batch);
        offset += records;
        return memory;
    }

    private MemoryRecords commit(long producer, int epoch)
    {
        return MemoryRecords.withEndTransactionMarker(offset++, 0, 0, producer, (short) epoch, new EndTransactionMarker(ControlRecordType.COMMIT, 0));
    }

    private MemoryRecords abort(long producer, int epoch)
    {
        return MemoryRecords.withEndTransactionMarker(offset++, 0, 0, producer, (short) epoch, new EndTransactionMarker(ControlRecordType.ABORT, 0));
    }

    private static SimpleRecord record()
    {
        return new SimpleRecord(0, "user".getBytes(StandardCharsets.UTF_8), "{\"event_id\":\"e\"}".getBytes(StandardCharsets.UTF_8));
    }

    private void write(MemoryRecords... batches)
            throws IOException
    {
        Path partition = Files.createDirectories(logDir.resolve(TOPIC + "-0"));
        try (FileRecords file = FileRecords.open(partition.resolve("00000000000000000000.log").toFile())) {
            for (MemoryRecords batch : batches) {
                file.append(batch);
            }
        }
    }
}
