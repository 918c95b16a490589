package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * Checks the topics a pipeline reads and prepares the one it writes: every partitioned topic (driving
 * stream and event tables) must exist with the same partition count, because task p reads partition p
 * of each; a missing output topic is created with that count, and so are the internal changelog topic
 * (compacted) and the dead-letter topic.
 */
final class TopicLayout
{
    private TopicLayout() {}

    /** Missing topics (empty when all exist). */
    static List<String> missingInputs(Admin admin, CompiledPipeline pipeline)
            throws InterruptedException
    {
        List<String> missing = new ArrayList<>();
        List<String> inputs = new ArrayList<>(pipeline.partitionedTopics());
        inputs.addAll(pipeline.dimensionTopics());
        for (String topic : inputs) {
            if (describe(admin, topic).isEmpty()) {
                missing.add(topic);
            }
        }
        return missing;
    }

    /** The common partition count of the partitioned topics; a mismatch is a clear error. */
    static int partitionCount(Admin admin, CompiledPipeline pipeline)
            throws InterruptedException
    {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : pipeline.partitionedTopics()) {
            counts.put(topic, describe(admin, topic).orElseThrow(() -> new IllegalStateException("topic " + topic + " does not exist"))
                    .partitions().size());
        }
        if (counts.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("pipeline " + pipeline.name() + ": the driving stream and event tables must have the same "
                    + "partition count (task p joins partition p of each), but they have " + counts
                    + ". Recreate or repartition the topics so the counts match.");
        }
        return counts.values().iterator().next();
    }

    static void ensureOutputTopic(Admin admin, String topic, int partitions)
            throws InterruptedException
    {
        if (describe(admin, topic).isPresent()) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get();
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create output topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** The compacted internal topic holding every change of the pipeline's task state, one partition per task. */
    static String changelogTopic(String clusterName, CompiledPipeline pipeline)
    {
        return clusterName + "-" + pipeline.name() + "-changelog";
    }

    /**
     * Creates the changelog topic ({@code cleanup.policy=compact}, one partition per task) or checks an
     * existing one: another partition count or a policy without compaction would lose or misplace state,
     * so either is an error that says what to do.
     */
    static Duration ensureChangelogTopic(Admin admin, String topic, int partitions)
            throws InterruptedException
    {
        Optional<TopicDescription> existing = describe(admin, topic);
        if (existing.isEmpty()) {
            create(admin, new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)), "changelog");
            return deleteRetention(admin, topic);
        }
        int actual = existing.get().partitions().size();
        if (actual != partitions) {
            throw new IllegalStateException("internal changelog topic " + topic + " has " + actual + " partitions but the pipeline has "
                    + partitions + " tasks (one per partition of its driving topic). It belongs to an earlier layout of the topics: "
                    + "delete it (and the pipeline's state directory) to rebuild state from the inputs.");
        }
        String policy = cleanupPolicy(admin, topic);
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalStateException("internal changelog topic " + topic + " has cleanup.policy=" + policy
                    + "; it must be compact, or state is lost when old segments are deleted. Set cleanup.policy=compact on it.");
        }
        return deleteRetention(admin, topic);
    }

    /** How long compaction keeps the topic's tombstones ({@code delete.retention.ms}, the broker's default unless set on the topic). */
    private static Duration deleteRetention(Admin admin, String topic)
            throws InterruptedException
    {
        ConfigEntry entry = topicConfig(admin, topic).get(TopicConfig.DELETE_RETENTION_MS_CONFIG);
        return entry == null || entry.value() == null ? CheckpointAgeLimit.KAFKA_DEFAULT_DELETE_RETENTION : Duration.ofMillis(Long.parseLong(entry.value()));
    }

    /** Where rejected records of the pipeline go: {@code output.dead_letter_topic}, by default {@code <output>-dlq}. */
    static String deadLetterTopic(CompiledPipeline pipeline)
    {
        return pipeline.definition().output().deadLetterTopic();
    }

    /** Creates the dead-letter topic when missing (as many partitions as the pipeline has tasks). */
    static void ensureDeadLetterTopic(Admin admin, String topic, int partitions)
            throws InterruptedException
    {
        if (describe(admin, topic).isEmpty()) {
            create(admin, new NewTopic(topic, Optional.of(partitions), Optional.empty()), "dead-letter");
        }
    }

    private static void create(Admin admin, NewTopic topic, String kind)
            throws InterruptedException
    {
        try {
            admin.createTopics(List.of(topic)).all().get();
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + kind + " topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static String cleanupPolicy(Admin admin, String topic)
            throws InterruptedException
    {
        ConfigEntry entry = topicConfig(admin, topic).get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return entry == null ? TopicConfig.CLEANUP_POLICY_DELETE : entry.value();
    }

    private static Config topicConfig(Admin admin, String topic)
            throws InterruptedException
    {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            return admin.describeConfigs(List.of(resource)).all().get().get(resource);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the configuration of topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic)
            throws InterruptedException
    {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
