package io.kaflowsql.chaos;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check at the end of every chaos or crash run, once no node writes any more: read the output to its end, read the
 * input back ({@link InputTruth}), audit the output topic's log ({@link TransactionAudit}) and judge
 * ({@link OutputChecker}). Stateless.
 */
final class EndOfRunCheck
{
    private static final Duration READ_TO_END = Duration.ofSeconds(60);

    private EndOfRunCheck() {}

    /**
     * @param logDir the broker's log directory (segment files)
     * @param initialEnds per joined topic, its end offsets once the initial rows were written
     */
    static ChaosReport perform(String bootstrapServers, Path logDir, int partitions, boolean exactlyOnce, Map<String, Map<Integer, Long>> initialEnds,
            ClickFeeder feeder, OutputRecorder recorder, Timeline timeline)
            throws InterruptedException
    {
        long end = System.nanoTime();
        Map<Integer, Long> ends = KafkaTopics.endOffsets(bootstrapServers, PersonalizationTopics.PERSONALIZED_EVENTS);
        if (!recorder.awaitPositions(ends, READ_TO_END)) {
            timeline.log("the output reader did not reach the end offsets %s (at %s); what it did not read counts as lost", ends, recorder.positions());
        }
        List<OutputRecorder.Seen> outputs = recorder.records();
        Map<Integer, Set<Long>> offsets = new HashMap<>();
        outputs.forEach(seen -> offsets.computeIfAbsent(seen.partition(), p -> new TreeSet<>()).add(seen.offset()));
        InputTruth truth = InputTruth.read(bootstrapServers, initialEnds, ackIndex(feeder));
        TransactionAudit.Result audit = TransactionAudit.audit(logDir, PersonalizationTopics.PERSONALIZED_EVENTS, partitions, offsets, exactlyOnce);
        ChaosReport report = OutputChecker.check(exactlyOnce, truth, outputs, audit, timeline, end);
        timeline.log("%s", report.describe());
        return report;
    }

    /** The end offsets of the joined topics, taken once the initial rows are written: what lies below existed from the start. */
    static Map<String, Map<Integer, Long>> initialEnds(String bootstrapServers)
    {
        Map<String, Map<Integer, Long>> ends = new HashMap<>();
        for (String topic : List.of(PersonalizationTopics.USER_PROFILES, PersonalizationTopics.PRODUCTS, PersonalizationTopics.PURCHASE_HISTORY)) {
            ends.put(topic, KafkaTopics.endOffsets(bootstrapServers, topic));
        }
        return ends;
    }

    /** When each written live record was acknowledged. */
    private static Map<InputTruth.Written, Long> ackIndex(ClickFeeder feeder)
    {
        Map<InputTruth.Written, Long> acked = new HashMap<>();
        List<GeneratedRecord> records = feeder.records();
        for (int i = 0; i < records.size(); i++) {
            long at = feeder.ackedAtNanos(i);
            if (at != 0) {
                GeneratedRecord record = records.get(i);
                acked.putIfAbsent(new InputTruth.Written(record.topic(), record.key(), record.json()), at);
            }
        }
        return acked;
    }
}
