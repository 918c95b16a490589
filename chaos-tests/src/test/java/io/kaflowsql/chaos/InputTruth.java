package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What the input topics really hold at the end of a run, read back from the broker rather than taken from the
 * generator: every click (with how many copies of it were written, normally one) and every version of every joined
 * row in the order the topic holds them. The checker judges the output against this, so a feeder that wrote a record
 * twice or not at all cannot make it report a loss or a duplicate that is not the engine's.
 *
 * <p>A version is <em>initial</em> when it was written before the run (below the end offsets taken after the initial
 * load); it existed from the start. Live versions carry the moment the feeder saw them acknowledged, when known.
 *
 * <p>Immutable after {@link #read}; thread-safe.
 */
final class InputTruth
{
    /** A click as written: its partition (the task that must process it), value, and how many copies exist. */
    record Click(String eventId, int partition, String value, boolean passesWhere, int copies, long ackedAtNanos)
    {
        Click withOneMoreCopy()
        {
            return new Click(eventId, partition, value, passesWhere, copies + 1, ackedAtNanos);
        }
    }

    /** One version of a joined row. {@code ackedAtNanos} is 0 for initial rows and for live ones whose acknowledgement is unknown. */
    record Version(JsonNode value, long offset, boolean initial, long ackedAtNanos) {}

    /** Identifies a record the feeder wrote, to find when it was acknowledged. */
    record Written(String topic, String key, String value) {}

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    private final Map<String, Click> clicks;
    private final Map<String, Map<String, List<Version>>> versions;

    private InputTruth(Map<String, Click> clicks, Map<String, Map<String, List<Version>>> versions)
    {
        this.clicks = requireNonNull(clicks, "clicks is null");
        this.versions = requireNonNull(versions, "versions is null");
    }

    /**
     * Reads every input topic to its end.
     *
     * @param initialEnds per joined topic, the end offset of each partition once the initial rows were written
     * @param ackedAt when the feeder saw each live record acknowledged ({@link System#nanoTime})
     */
    static InputTruth read(String bootstrapServers, Map<String, Map<Integer, Long>> initialEnds, Map<Written, Long> ackedAt)
    {
        Builder builder = new Builder();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : PersonalizationTopics.INPUTS) {
                consumer.partitionsFor(topic, READ_TIMEOUT).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the input topics back within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    boolean initial = record.offset() < initialEnds.getOrDefault(record.topic(), Map.of()).getOrDefault(record.partition(), 0L);
                    long acked = ackedAt.getOrDefault(new Written(record.topic(), record.key(), record.value()), 0L);
                    builder.accept(record.topic(), record.partition(), record.offset(), record.key(), record.value(), initial, acked);
                }
            }
        }
        return builder.build();
    }

    /**
     * The truth of records that were never in Kafka (for the checker's own tests): {@code initial} rows first, then
     * {@code live} records, every record on partition 0 at its position, live ones acknowledged as {@code ackedAt} says.
     */
    static InputTruth of(List<GeneratedRecord> initial, List<GeneratedRecord> live, Map<Written, Long> ackedAt)
    {
        Builder builder = new Builder();
        long offset = 0;
        for (GeneratedRecord record : initial) {
            builder.accept(record.topic(), 0, offset++, record.key(), record.json(), !record.topic().equals(PersonalizationTopics.CLICKSTREAMS), 0);
        }
        for (GeneratedRecord record : live) {
            long acked = ackedAt.getOrDefault(new Written(record.topic(), record.key(), record.json()), 0L);
            builder.accept(record.topic(), 0, offset++, record.key(), record.json(), false, acked);
        }
        return builder.build();
    }

    /** Collects records in log order. Not thread-safe. */
    private static final class Builder
    {
        private final Map<String, Click> clicks = new LinkedHashMap<>();
        private final Map<String, Map<String, List<Version>>> versions = new HashMap<>();

        void accept(String topic, int partition, long offset, String key, String value, boolean initial, long acked)
        {
            if (topic.equals(PersonalizationTopics.CLICKSTREAMS)) {
                JsonNode click = OutputValues.parse(value);
                String eventId = OutputValues.eventId(click);
                clicks.merge(eventId, new Click(eventId, partition, value, SeedEnrichment.passesWhere(click), 1, acked),
                        (first, again) -> first.withOneMoreCopy());
                return;
            }
            versions.computeIfAbsent(topic, name -> new HashMap<>())
                    .computeIfAbsent(key, name -> new ArrayList<>())
                    .add(new Version(OutputValues.parse(value), offset, initial, initial ? 0 : acked));
        }

        InputTruth build()
        {
            return new InputTruth(clicks, versions);
        }
    }

    /** Every click written, by event id (first copy; {@link Click#copies} counts them all). */
    Map<String, Click> clicks()
    {
        return clicks;
    }

    /** Every version of the row of {@code key} in {@code topic}, in log order; empty if none was ever written. */
    List<Version> versions(String topic, String key)
    {
        return versions.getOrDefault(topic, Map.of()).getOrDefault(key, List.of());
    }

    /** Whether a LEFT JOIN miss was ever possible for {@code key}: no initial row existed (one may have come later). */
    boolean mayBeMissing(String topic, String key)
    {
        return versions(topic, key).stream().noneMatch(Version::initial);
    }

    /** How many live (changed) versions were written, all joined topics together. */
    long liveVersions()
    {
        return versions.values().stream().flatMap(byKey -> byKey.values().stream()).flatMap(List::stream).filter(version -> !version.initial()).count();
    }
}
