package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.internal.state.ChangelogRecords;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TaskProducer} stamps each changelog record with the changelog format version in force when it is sent. */
class TaskProducerVersionTest
{
    private final MockProducer<byte[], byte[]> kafka = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final AtomicInteger version = new AtomicInteger(1);
    private final TaskProducer producer = new TaskProducer("p-0", kafka, false, "changelog", () -> 0L, TaskProducer.DEFAULT_TRANSACTION_TIMEOUT_MILLIS,
            version::get);

    @Test
    void changelogRecordsCarryTheVersionInForceAndOutputsNone()
    {
        producer.send(new ProducerRecord<>("changelog", 0, null, new byte[] {'M', 1}, new byte[] {1}));
        version.set(2);
        producer.send(new ProducerRecord<>("changelog", 0, null, new byte[] {'M', 1}, new byte[] {2}));
        producer.send(new ProducerRecord<>("output", null, null, new byte[] {1}, new byte[] {3}));

        assertThat(kafka.history()).hasSize(3);
        assertThat(ChangelogRecords.version(kafka.history().get(0).headers())).isEqualTo(1);
        assertThat(kafka.history().get(0).headers().lastHeader(ChangelogRecords.VERSION_HEADER)).as("version 1 is written too").isNotNull();
        assertThat(ChangelogRecords.version(kafka.history().get(1).headers())).isEqualTo(2);
        assertThat(kafka.history().get(1).headers().headers(ChangelogRecords.VERSION_HEADER)).hasSize(1);
        assertThat(kafka.history().get(2).headers().lastHeader(ChangelogRecords.VERSION_HEADER)).isNull();
    }
}
